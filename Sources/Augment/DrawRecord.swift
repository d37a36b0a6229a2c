/// One scalar an augmentation drew for a row, stored as `/aug/<augmentation>/<name>`.
public enum DrawValue: Codable, Equatable, Sendable {
    case int(Int64)
    case float(Double)
}

/// What one application of an augmentation drew: small, `Codable`, enough to reproduce and audit
/// the augmented row (which response, which transform, the offset, λ and the partner, …).
public protocol DrawRecord: Codable, Equatable, Sendable {
    /// The draws as store columns, in a fixed order: `(name, value)`.
    var columns: [(String, DrawValue)] { get }
}

/// Why an augmentation cannot be configured or applied: names the parameter or input and the reason.
public struct AugmentError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
