import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX steps that make a commit survive a crash: fsync the file, rename it into place,
/// fsync the directory so the rename itself is on disk.
///
/// Foundation has no portable fsync for directories and its `moveItem` refuses to replace an
/// existing file, so these go straight to the system calls, each failure naming the path.
public enum DurableFile {
    /// Flushes a file's (or directory's) data and metadata to stable storage.
    static func fsync(path: String, directory: Bool = false) throws {
        let flags = directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY
        let descriptor = open(path, flags)
        guard descriptor >= 0 else { throw posixError("open", path) }
        defer { close(descriptor) }
        #if canImport(Glibc)
        let result = Glibc.fsync(descriptor)
        #else
        let result = Darwin.fsync(descriptor)
        #endif
        guard result == 0 else { throw posixError("fsync", path) }
    }

    /// Atomically replaces `destination` with `source` (POSIX `rename`).
    static func rename(_ source: String, to destination: String) throws {
        #if canImport(Glibc)
        let result = Glibc.rename(source, destination)
        #else
        let result = Darwin.rename(source, destination)
        #endif
        guard result == 0 else { throw posixError("rename to \(destination)", source) }
    }

    /// Writes `data` to `url` atomically and durably: a temporary sibling named for this writer
    /// (`WriterToken`) is written and fsynced, renamed over `url`, and the directory fsynced. A reader
    /// sees the old file or the new one, never a half-written one, and two processes writing the
    /// same file never share a temporary file.
    public static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let temporary = WriterToken.temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw posixError("open", temporary) }
        var failure: StoreError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = posixError("write", temporary)
                    return
                }
                offset += written
            }
        }
        #if canImport(Glibc)
        if failure == nil, Glibc.fsync(descriptor) != 0 { failure = posixError("fsync", temporary) }
        #else
        if failure == nil, Darwin.fsync(descriptor) != 0 { failure = posixError("fsync", temporary) }
        #endif
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw failure
        }
        try rename(temporary, to: path)
        try fsync(path: url.deletingLastPathComponent().path, directory: true)
    }

    /// Writes `value` as the store's canonical JSON (pretty, sorted keys), atomically and durably.
    public static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        try write(StoreJSON.encode(value, path: url.path), to: url)
    }

    /// Creates a directory and its parents if missing.
    static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io(operation: "create directory", path: url.path, reason: error.localizedDescription)
        }
    }

    private static func posixError(_ operation: String, _ path: String) -> StoreError {
        StoreError.io(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}
