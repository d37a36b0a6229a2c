/// An input the pipeline refused, with where and why.
///
/// Bad input never stops a run; it is listed here instead, so the manifest says exactly which
/// recordings are missing from the store and the exit status can report that some were rejected.
public struct RejectedInput: Codable, Equatable, Hashable, Sendable {
    /// The audio or metadata file.
    public var path: String
    /// The metadata line, when the problem is in a metadata file.
    public var line: Int?
    public var reason: String
    /// The pipeline stage that rejected it ("catalog", "decode", "features", …).
    public var stage: String
    /// How many planned rows this one rejection cost, when more than one: the variants of an
    /// augmented recording share its audio, so it is listed once with their count (nil: one row).
    public var rows: Int?

    public init(path: String, line: Int? = nil, reason: String, stage: String, rows: Int? = nil) {
        self.path = path
        self.line = line
        self.reason = reason
        self.stage = stage
        self.rows = rows
    }
}
