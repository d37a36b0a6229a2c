/// Why a split stage refused its input. Every case names the file (and the row, when one row is
/// at fault), because the stage is run on stores of many thousands of rows and "bad input" alone
/// sends a user hunting; it is thrown before anything is written.
public enum SplitError: Error, Equatable, CustomStringConvertible {
    /// An option's value is impossible (a fraction outside (0, 1], a threshold that is not finite …).
    case parameter(name: String, reason: String)
    /// A row of a store or view cannot be used (NaN features, zero statistics …).
    case row(path: String, row: Int, id: String, reason: String)
    /// A store or view as a whole cannot be used (no such column, another row shape, no rows …).
    case input(path: String, reason: String)

    public var description: String {
        switch self {
        case let .parameter(name, reason): return "\(name): \(reason)"
        case let .row(path, row, id, reason): return "\(path): row \(row)\(id.isEmpty ? "" : " (\(id))"): \(reason)"
        case let .input(path, reason): return "\(path): \(reason)"
        }
    }
}
