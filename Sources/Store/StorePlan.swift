import Foundation

/// `plan.json`: what a store will hold, written when its folder is prepared, before any shard.
///
/// It makes finalizing a step of its own: any process (the last worker of a partitioned run, a
/// `pipe merge STORE` on another node) reads the plan, checks every planned shard's sidecar and
/// file, and writes the manifest, without the pipeline config or the corpora. It also identifies the
/// folder: a rerun whose plan has the same `configHash` resumes, another config is refused unless
/// `--overwrite`.
public struct StorePlan: Codable, Equatable, Sendable {
    /// One planned shard: its name and the rows it must hold, accepted or rejected, in order.
    public struct Shard: Codable, Equatable, Sendable {
        public var name: String
        public var rows: [PlannedRow]

        public init(name: String, rows: [PlannedRow]) {
            self.name = name
            self.rows = rows
        }
    }

    public static let fileName = "plan.json"

    public var schemaVersion: Int
    public var pipeline: String
    public var configHash: String
    public var createdBy: String
    public var libraries: [String: String]
    public var parameters: JSONValue
    public var columns: [ColumnSpec]
    public var classes: [String]
    public var shards: [Shard]
    /// Inputs rejected before planning (metadata problems), which no shard's sidecar carries.
    public var rejected: [RejectedInput]
    /// The clip-length policy (`audio.duration`, `audio.min_duration_fraction`, every count zero):
    /// finalize counts the padded and truncated rows against it. Nil when clips keep their length.
    public var clipLengths: ClipLengths?

    public init(pipeline: String, configHash: String, createdBy: String, libraries: [String: String],
                parameters: JSONValue, columns: [ColumnSpec], classes: [String], shards: [Shard],
                rejected: [RejectedInput] = [], clipLengths: ClipLengths? = nil) {
        schemaVersion = Manifest.currentSchemaVersion
        self.pipeline = pipeline
        self.configHash = configHash
        self.createdBy = createdBy
        self.libraries = libraries
        self.parameters = parameters
        self.columns = columns
        self.classes = classes
        self.shards = shards
        self.rejected = rejected
        self.clipLengths = clipLengths
    }

    public static func load(from url: URL) throws -> StorePlan {
        try StoreJSON.decode(StorePlan.self, from: url)
    }
}
