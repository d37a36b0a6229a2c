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

    public init(path: String, line: Int? = nil, reason: String, stage: String) {
        self.path = path
        self.line = line
        self.reason = reason
        self.stage = stage
    }
}
