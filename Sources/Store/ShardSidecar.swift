import Foundation

/// The `<name>.json` file written next to a committed shard.
///
/// It is written after the shard's rename, so its presence means the shard is complete: a resumed
/// run keeps shards that have a sidecar and rebuilds the others, and the manifest is assembled by
/// merging sidecars without reopening any HDF5 file.
public struct ShardSidecar: Codable, Equatable, Sendable {
    public var file: String
    public var rows: Int
    public var sha256: String
    public var bytes: Int
    /// The shard's `meta/id` values in row order (empty when the shard has no id column, as in a
    /// view's column files).
    public var ids: [String]
    public var columns: [ColumnSpec]

    public init(info: ShardInfo, ids: [String], columns: [ColumnSpec]) {
        file = info.file
        rows = info.rows
        sha256 = info.sha256
        bytes = info.bytes
        self.ids = ids
        self.columns = columns
    }

    /// The manifest entry for this shard (file relative to the sidecar's directory).
    public var info: ShardInfo { ShardInfo(file: file, rows: rows, sha256: sha256, bytes: bytes) }

    /// Reads a sidecar.
    public static func load(from url: URL) throws -> ShardSidecar {
        try StoreJSON.decode(ShardSidecar.self, from: url)
    }
}
