import Foundation
import Store

/// The files a stream has opened, shared by its reader threads, each checked once.
///
/// Integrity: the first time a file is opened its size and SHA-256 are compared with the manifest's
/// record (unless turned off), so a missing or altered shard is an error before any of its rows
/// reach a batch — never zeros or another file's rows.
final class ShardFiles: @unchecked Sendable {
    private let verify: Bool
    private let lock = NSLock()
    private var open: [URL: ShardReader] = [:]
    /// Files whose checksum is being computed or failed, so two threads do not hash one file twice.
    private var failures: [URL: Error] = [:]
    /// Per (file, column): a `RowFile` when the column's rows are raw chunks, nil when they are not.
    private var rowFiles: [String: RowFile?] = [:]

    init(verify: Bool) {
        self.verify = verify
    }

    /// `column` of `segment`'s file for `pread` row reads, or nil when HDF5 must read it; the file is
    /// opened (and its checksum checked) through `reader(for:)` first.
    func rowFile(for segment: ColumnSource.Segment, column: String) throws -> RowFile? {
        let key = segment.url.path + "#" + column
        lock.lock()
        if let known = rowFiles[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let reader = try reader(for: segment)
        let file = try reader.rowChunks(column).map { try RowFile(url: segment.url, chunks: $0) }
        lock.lock()
        defer { lock.unlock() }
        if let known = rowFiles[key] { return known }
        rowFiles[key] = .some(file)
        return file
    }

    func reader(for segment: ColumnSource.Segment) throws -> ShardReader {
        lock.lock()
        defer { lock.unlock() }
        if let reader = open[segment.url] { return reader }
        if let failure = failures[segment.url] { throw failure }
        do {
            guard FileManager.default.fileExists(atPath: segment.url.path) else {
                throw StoreError.missingFile(path: segment.url.path)
            }
            if verify {
                let digest = try FileDigest.of(segment.url)
                if digest.bytes != segment.bytes || digest.sha256 != segment.sha256 {
                    throw StoreError.checksumMismatch(path: segment.url.path, expected: segment.sha256,
                                                      actual: "\(digest.sha256) (\(digest.bytes) bytes, manifest says \(segment.bytes))")
                }
            }
            let reader = try ShardReader(url: segment.url)
            open[segment.url] = reader
            return reader
        } catch {
            failures[segment.url] = error
            throw error
        }
    }
}
