/// Collects the `ConfigProblem`s of one object, with the checks every configuration needs
/// (positive sizes and rates, finite numbers). Each check names the key it checks.
public struct ConfigChecks: Sendable {
    public private(set) var problems: [ConfigProblem] = []

    public init() {}

    /// Records `reason` for `key` unless `condition` holds.
    public mutating func require(_ condition: Bool, _ key: String, _ value: (any CustomStringConvertible)?,
                                 _ reason: @autoclosure () -> String) {
        if !condition { problems.append(ConfigProblem(key, value, reason())) }
    }

    public mutating func add(_ problem: ConfigProblem) { problems.append(problem) }

    /// Adds the problems of a nested object at `path`.
    public mutating func add(_ nested: [ConfigProblem], in path: String) {
        problems += nested.map { $0.nested(in: path) }
    }

    /// An integer size or count of at least `minimum` (1 unless said).
    public mutating func atLeast(_ key: String, _ value: Int, _ minimum: Int = 1) {
        require(value >= minimum, key, value, minimum == 1 ? "must be positive" : "must be at least \(minimum)")
    }

    /// A finite number (not NaN or ±inf).
    public mutating func finite(_ key: String, _ value: Double) {
        require(value.isFinite, key, value, "must be a finite number")
    }

    /// A finite number above zero.
    public mutating func positive(_ key: String, _ value: Double) {
        if !value.isFinite { finite(key, value) } else { require(value > 0, key, value, "must be positive") }
    }

    /// A finite number of at least zero.
    public mutating func nonNegative(_ key: String, _ value: Double) {
        if !value.isFinite { finite(key, value) } else { require(value >= 0, key, value, "must not be negative") }
    }
}
