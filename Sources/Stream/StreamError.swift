import Foundation

/// Every failure the Stream module reports, naming the store or view and the reason, before any
/// batch is read: a trainer that silently got zeros or another split's rows would learn garbage.
public enum StreamError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// Options that cannot describe a stream (batch size 0, rank outside world, …).
    case invalidOptions(String)
    /// A column the stream was asked for is missing or has the wrong type or shape.
    case column(path: String, reason: String)
    /// The filters and partition leave fewer rows than one batch.
    case tooFewRows(path: String, reason: String)
    /// A resume position that does not belong to this stream.
    case invalidPosition(String)

    public var description: String {
        switch self {
        case let .invalidOptions(reason): return "invalid stream options: \(reason)"
        case let .column(path, reason): return "\(path): \(reason)"
        case let .tooFewRows(path, reason): return "\(path): \(reason)"
        case let .invalidPosition(reason): return "invalid stream position: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
