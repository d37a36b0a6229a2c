import Foundation
import Store
#if canImport(Glibc)
import Glibc
#endif

/// One float32 column of one shard read row by row with `pread` at its chunks' offsets
/// (`ShardReader.rowChunks`), outside the HDF5 lock, so reader threads read in parallel.
///
/// Why a row per call is whole-chunk here: a feature row is one chunk, so a row's `pread` is the
/// chunk's bytes straight into the batch buffer — one system call and one copy from page cache,
/// against an `H5Dread` per row that also selects, looks the chunk up and holds the lock.
final class RowFile: @unchecked Sendable {
    let url: URL
    let chunks: RowChunks
    private let descriptor: Int32

    init(url: URL, chunks: RowChunks) throws {
        self.url = url
        self.chunks = chunks
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError.missingFile(path: url.path)
        }
    }

    deinit { close(descriptor) }

    /// Copies row `row` into `target` (`chunks.rowBytes` bytes); a short read is an error naming
    /// the file, never a partly filled row.
    func read(row: Int, into target: UnsafeMutableRawPointer) throws {
        var done = 0
        let total = chunks.rowBytes
        let start = off_t(chunks.offsets[row])
        while done < total {
            let n = pread(descriptor, target + done, total - done, start + off_t(done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw StreamError.column(path: url.path, reason:
                    "reading row \(row) (\(total) bytes at offset \(start)) stopped after \(done) bytes (\(n < 0 ? String(cString: strerror(errno)) : "end of file"))")
            }
            done += n
        }
    }
}
