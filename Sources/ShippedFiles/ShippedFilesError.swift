/// Why a `--pipeline` or `--taxonomy` argument found no text.
public enum ShippedFilesError: Error, CustomStringConvertible, Equatable {
    case notFound(kind: ShippedFile.Kind, argument: String, tried: String, embedded: [String])
    case unreadable(kind: ShippedFile.Kind, path: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(kind, argument, tried, embedded):
            return "\(kind.rawValue) '\(argument)' not found: no file at \(tried), and no embedded \(kind.rawValue) "
                + "of that name (embedded: \(embedded.joined(separator: ", ")))"
        case let .unreadable(kind, path, reason):
            return "\(path): cannot read \(kind.rawValue) file (\(reason))"
        }
    }
}
