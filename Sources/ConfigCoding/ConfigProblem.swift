/// A configuration value that cannot work, named by its key: found before any work is done, so
/// that an impossible parameter is a message instead of a precondition failure mid-run.
///
/// `key` is relative to the object that checked it (`win_length`); an enclosing object prefixes
/// its own path (`features[0].win_length`) with `nested(in:)`.
public struct ConfigProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key path, or empty for a problem of the object as a whole.
    public var key: String
    /// The value as written (or as defaulted), when there is one to show.
    public var value: String?
    public var reason: String

    /// `win_length = 4096 exceeds n_fft = 2048`
    public init(_ key: String, _ value: (any CustomStringConvertible)?, _ reason: String) {
        self.key = key
        self.value = value.map { $0.description }
        self.reason = reason
    }

    /// `weights: cannot be read (...)`
    public init(_ key: String, _ reason: String) {
        self.key = key
        self.value = nil
        self.reason = reason
    }

    /// The same problem seen from an enclosing object at `path` (`features[0]`, `audio`).
    public func nested(in path: String) -> ConfigProblem {
        var p = self
        p.key = path.isEmpty ? key : (key.isEmpty ? path : "\(path).\(key)")
        return p
    }

    public var description: String {
        if let value { return "\(key) = \(value) \(reason)" }
        return key.isEmpty ? reason : "\(key): \(reason)"
    }
}
