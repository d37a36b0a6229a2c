import Foundation

/// The one `<name>.json` file written next to a committed shard (or a view's column file).
///
/// It is written after the shard's rename, so its presence means the shard is complete. It holds
/// the file's rows, SHA-256 and size, the `meta/id` values, the schema and, for a store's shard, the
/// `summary` (config hash, planned rows, counts, rejections): a rerun keeps a shard only when the
/// sidecar matches the plan and the file's SHA-256 matches the sidecar, and finalizing assembles the
/// manifest by merging sidecars.
///
/// A planned shard whose every row was rejected has a sidecar and no file (`file` nil, 0 rows), so
/// its rejections still reach the manifest and a rerun does not recompute it.
public struct ShardSidecar: Codable, Equatable, Sendable {
    /// The shard's name, e.g. "part-00003".
    public var name: String
    /// The file, relative to the sidecar's folder ("part-00003.h5"); nil when no row was accepted.
    public var file: String?
    public var rows: Int
    public var sha256: String?
    public var bytes: Int?
    /// The shard's `meta/id` values in row order (empty when the shard has no id column, as in a
    /// view's column files).
    public var ids: [String]
    public var columns: [ColumnSpec]
    public var summary: ShardSummary

    public init(name: String, info: ShardInfo?, ids: [String], columns: [ColumnSpec], summary: ShardSummary = ShardSummary()) {
        self.name = name
        file = info?.file
        rows = info?.rows ?? 0
        sha256 = info?.sha256
        bytes = info?.bytes
        self.ids = ids
        self.columns = columns
        self.summary = summary
    }

    /// The manifest entry for this shard (file relative to the sidecar's folder), nil without a file.
    public var info: ShardInfo? {
        guard let file, let sha256, let bytes else { return nil }
        return ShardInfo(file: file, rows: rows, sha256: sha256, bytes: bytes)
    }

    /// Reads a sidecar.
    public static func load(from url: URL) throws -> ShardSidecar {
        try StoreJSON.decode(ShardSidecar.self, from: url)
    }

    /// The sidecar beside an HDF5 file: "shards/part-00003.h5" → "shards/part-00003.json".
    public static func url(besides file: URL) -> URL {
        file.deletingPathExtension().appendingPathExtension("json")
    }
}
