import Foundation

/// The files this process has already hashed and found equal to what a manifest or sidecar records.
///
/// HDF5 trusts the bytes it reads: a shard with one damaged byte can make it crash or return a
/// plausible array of garbage. So no tool reads an HDF5 file before its SHA-256 matched the recorded
/// one (`StoreReader` does it on first use of a shard). Hashing a shard costs a full read, so each
/// file is hashed once per process: a verified file is remembered by its path, expected digest and
/// identity on disk (device, inode, size, modification time), and hashed again if any of them changes.
public enum VerifiedFiles {
    private struct Key: Hashable {
        let path: String
        let sha256: String
        let bytes: Int
    }

    private struct Identity: Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modifiedSeconds: Int
        let modifiedNanoseconds: Int
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var verified: [Key: Identity] = [:]

    /// Throws unless the file at `url` has `bytes` bytes hashing to `sha256`: `StoreError.missingFile`,
    /// or `StoreError.checksumMismatch` naming the file. Hashes only when this process has not
    /// verified the same unchanged file against the same digest before.
    public static func require(_ url: URL, sha256: String, bytes: Int) throws {
        let path = url.standardizedFileURL.path
        let key = Key(path: path, sha256: sha256, bytes: bytes)
        let before = try identity(of: path)
        lock.lock()
        let known = verified[key]
        lock.unlock()
        if let known, known == before { return }
        let digest = try FileDigest.of(url)
        guard digest.bytes == bytes else {
            throw StoreError.checksumMismatch(path: path, expected: "\(sha256) (\(bytes) bytes)",
                                              actual: "\(digest.sha256) (\(digest.bytes) bytes)")
        }
        guard digest.sha256 == sha256 else {
            throw StoreError.checksumMismatch(path: path, expected: sha256, actual: digest.sha256)
        }
        // Remembered only if the file did not change while it was hashed.
        guard try identity(of: path) == before else { return }
        lock.lock()
        verified[key] = before
        lock.unlock()
    }

    private static func identity(of path: String) throws -> Identity {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw StoreError.missingFile(path: path) }
            throw StoreError.io(operation: "stat", path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.io(operation: "open", path: path, reason: "not a regular file")
        }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), size: Int64(status.st_size),
                        modifiedSeconds: Int(status.st_mtim.tv_sec), modifiedNanoseconds: Int(status.st_mtim.tv_nsec))
    }
}
