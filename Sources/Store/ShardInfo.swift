/// What a manifest records about one committed HDF5 file (a shard or a view's column file).
///
/// `file` is relative to the directory of the manifest that lists it (e.g.
/// "shards/part-00000.h5"); `ShardWriter.commit()` returns it relative to the writer's own
/// directory, and `inFolder(_:)` adds the folder when the manifest is assembled.
public struct ShardInfo: Codable, Equatable, Hashable, Sendable {
    public var file: String
    public var rows: Int
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String
    public var bytes: Int

    public init(file: String, rows: Int, sha256: String, bytes: Int) {
        self.file = file
        self.rows = rows
        self.sha256 = sha256
        self.bytes = bytes
    }

    /// The same info with `file` placed under `folder` ("part-00000.h5" → "shards/part-00000.h5").
    public func inFolder(_ folder: String) -> ShardInfo {
        var copy = self
        copy.file = folder.isEmpty ? file : folder + "/" + file
        return copy
    }
}
