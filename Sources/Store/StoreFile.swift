/// A file of a store besides its shards (the catalog, the plan, reports, a dataset card), with the
/// SHA-256 and size `pipe verify` checks it against.
public struct StoreFile: Codable, Equatable, Hashable, Sendable {
    /// Relative to the manifest's folder, e.g. "catalog.jsonl".
    public var file: String
    public var sha256: String
    public var bytes: Int

    public init(file: String, sha256: String, bytes: Int) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
    }
}
