import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on one shard of a store folder: `flock` on `shards/<name>.lock`.
///
/// Two processes that would write the same shard are refused (the second gets `StoreError.locked`,
/// naming the holder), while workers of a partitioned run, which write disjoint shards, run side by
/// side. The kernel releases a `flock` when its process dies, so a killed run never leaves a shard
/// locked; the file itself is removed on release. The holder's pid and host are written into the
/// file for the refusal message.
public final class ShardLock {
    public let url: URL
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    /// Takes the lock or throws `StoreError.locked` at once (never waits).
    public static func acquire(_ url: URL) throws -> ShardLock {
        let path = url.path
        // A holder unlinks the file on release; if we locked a file that was unlinked meanwhile,
        // the lock protects nothing, so retry on the file now at the path.
        for _ in 0..<100 {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StoreError.io(operation: "open lock", path: path, reason: String(cString: strerror(errno)))
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let failure = errno
                var holder = [UInt8](repeating: 0, count: 256)
                let count = read(descriptor, &holder, holder.count)
                close(descriptor)
                guard failure == EWOULDBLOCK || failure == EAGAIN else {
                    throw StoreError.io(operation: "flock", path: path, reason: String(cString: strerror(failure)))
                }
                let text = count > 0 ? String(decoding: holder.prefix(count), as: UTF8.self) : "another writer"
                throw StoreError.locked(path: path, holder: text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            var held = stat(), current = stat()
            if fstat(descriptor, &held) == 0, stat(path, &current) == 0,
               held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                let text = WriterToken.holderDescription + "\n"
                _ = ftruncate(descriptor, 0)
                _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
                return ShardLock(url: url, descriptor: descriptor)
            }
            close(descriptor)
        }
        throw StoreError.io(operation: "flock", path: path, reason: "the lock file keeps being replaced")
    }

    /// Releases the lock and removes the file (also done when the lock is dropped).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(url.path)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
