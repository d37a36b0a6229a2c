import Foundation

/// Why a whole corpus (or a synthetic-corpus request) cannot be used. Problems with single lines or
/// files are never thrown: they become `CorpusIssue`s.
public enum CorpusError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The corpus root folder does not exist.
    case rootMissing(path: String)
    /// The root exists but holds none of the metadata files or folders the corpus is read from.
    case noMetadata(corpus: String, path: String, expected: [String])
    /// A metadata file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// A caller passed a value the operation cannot honour.
    case invalidParameter(String)

    public var description: String {
        switch self {
        case let .rootMissing(path):
            return "corpus folder \(path) does not exist"
        case let .noMetadata(corpus, path, expected):
            return "\(path) is not a \(corpus) corpus: none of \(expected.joined(separator: ", ")) found there"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .invalidParameter(message):
            return message
        }
    }

    public var errorDescription: String? { description }
}
