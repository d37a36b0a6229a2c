import Foundation

/// The files this process has already hashed and found equal to what a manifest or sidecar records.
///
/// HDF5 trusts the bytes it reads: a shard with one damaged byte can make it crash or return a
/// plausible array of garbage. So no tool reads an HDF5 file before its SHA-256 matched the recorded
/// one (`StoreReader` does it on first use of a shard). Hashing a shard costs a full read, so each
/// file is hashed once per process: a verified file is remembered by its path, expected digest and
/// identity on disk (device, inode, size, modification time), and hashed again if any of them changes.
///
/// File times tick coarsely (a kernel jiffy), so a write in the same tick as the hash would keep the
/// modification time. As git does with its index, a file modified less than `racyMargin` before it
/// was hashed is not trusted from memory: it is hashed again on its next use, by which time the
/// margin has passed (a shard hashed at commit is hashed once more when the store is finalized).
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

        var modified: Double { Double(modifiedSeconds) + Double(modifiedNanoseconds) / 1e9 }
    }

    /// What was verified, and when hashing started (wall clock).
    private struct Entry {
        let identity: Identity
        let hashedAt: Double
    }

    /// Well above a kernel tick (1–10 ms) and the lag of file times behind the wall clock.
    static let racyMargin = 0.05

    private static let lock = NSLock()
    nonisolated(unsafe) private static var verified: [Key: Entry] = [:]

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
        if let known, known.identity == before, before.modified + racyMargin < known.hashedAt { return }
        let hashedAt = Date().timeIntervalSince1970
        let digest = try FileDigest.of(url)
        guard digest.bytes == bytes else {
            throw StoreError.checksumMismatch(path: path, expected: "\(sha256) (\(bytes) bytes)",
                                              actual: "\(digest.sha256) (\(digest.bytes) bytes)")
        }
        guard digest.sha256 == sha256 else {
            throw StoreError.checksumMismatch(path: path, expected: sha256, actual: digest.sha256)
        }
        try remember(key, before, hashedAt: hashedAt)
    }

    /// Hashes the file at `url` and remembers the result as verified: the digest the shard writer
    /// records in a sidecar, so finalizing the store in the same process reads the shard at most
    /// once more (only while it is racy) instead of once per check.
    public static func digest(of url: URL) throws -> FileDigest {
        let path = url.standardizedFileURL.path
        let before = try identity(of: path)
        let hashedAt = Date().timeIntervalSince1970
        let digest = try FileDigest.of(url)
        try remember(Key(path: path, sha256: digest.sha256, bytes: digest.bytes), before, hashedAt: hashedAt)
        return digest
    }

    /// Records `key` only if the file did not change while it was hashed.
    private static func remember(_ key: Key, _ before: Identity, hashedAt: Double) throws {
        guard try identity(of: key.path) == before else { return }
        lock.lock()
        verified[key] = Entry(identity: before, hashedAt: hashedAt)
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
