import Foundation

/// The SHA-256 and size of a file, computed by streaming it in 1 MiB blocks.
///
/// Shards are hundreds of megabytes; hashing them block by block keeps memory flat while the
/// writer, `verify()` and resume checks run.
public struct FileDigest: Equatable, Sendable {
    /// Lower-case hex SHA-256.
    public var sha256: String
    public var bytes: Int

    public init(sha256: String, bytes: Int) {
        self.sha256 = sha256
        self.bytes = bytes
    }

    /// Hashes the file at `url`; a missing file is `StoreError.missingFile`.
    public static func of(_ url: URL) throws -> FileDigest {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StoreError.missingFile(path: url.path)
        }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw StoreError.io(operation: "open", path: url.path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        var bytes = 0
        while true {
            let block: Data?
            do { block = try handle.read(upToCount: 1 << 20) } catch {
                throw StoreError.io(operation: "read", path: url.path, reason: error.localizedDescription)
            }
            guard let block, !block.isEmpty else { break }
            hasher.update(block)
            bytes += block.count
        }
        let hex = hasher.hexDigest()
        return FileDigest(sha256: hex, bytes: bytes)
    }
}
