/// A taxonomy that could not be read or is inconsistent, with the file it came from.
public struct TaxonomyError: Error, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String

    public var description: String { "taxonomy \(source): \(reason)" }
}
