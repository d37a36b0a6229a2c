import Foundation
import Store
@testable import Stream
import TestSupport
import XCTest

/// Feature rows are read with one `pread` at their chunk's offset, outside the HDF5 lock: the
/// offsets the Store reports give exactly the rows HDF5 reads, in Swift and in Python.
final class RowFileTests: XCTestCase {
    func testChunkOffsetsGiveTheRowsHDF5Reads() throws {
        let store = try StreamFixture.makeStore(in: StreamFixture.temporaryDirectory(for: self), shardRows: [23, 17])
        let shard = try ShardReader(url: store.appendingPathComponent("shards/part-00001.h5"))
        let chunks = try XCTUnwrap(try shard.rowChunks("features/logmel"), "feature rows are raw chunks")
        XCTAssertEqual(chunks.offsets.count, 17)
        XCTAssertEqual(chunks.rowBytes, 12 * 4)
        XCTAssertEqual(Set(chunks.offsets).count, 17, "one chunk per row")
        XCTAssertNil(try shard.rowChunks("meta/label"), "not float32 rows")
        XCTAssertNil(try shard.rowChunks("meta/nothing"))
        let file = try RowFile(url: shard.url, chunks: chunks)
        for row in [0, 5, 16] {
            var values = [Float](repeating: -1, count: 12)
            try values.withUnsafeMutableBytes { try file.read(row: row, into: $0.baseAddress!) }
            XCTAssertEqual(values, try shard.readFloatRows("features/logmel", row..<(row + 1)))
            XCTAssertEqual(values, StreamFixture.features(23 + row))
        }
        // The targets column ([3] per row) is float32 rows too: the same path serves it.
        XCTAssertNotNil(try shard.rowChunks("targets/teacher"))
    }

    func testPythonReadsWholeChunks() throws {
        let store = try StreamFixture.makeStore(in: StreamFixture.temporaryDirectory(for: self), shardRows: [23, 17])
        let script = """
        import sys, h5py, numpy as np
        import acousticpipe
        from acousticpipe.rowchunks import RowChunks
        path = sys.argv[1] + "/shards/part-00001.h5"
        with h5py.File(path, "r") as f:
            chunks = RowChunks.of(path, f["features/logmel"])
            assert chunks is not None, "feature rows are raw chunks"
            assert RowChunks.of(path, f["meta/label"]) is None
            for row in (0, 5, 16):
                out = np.empty((1, 4, 3), np.float32)
                chunks.read(row, out)
                assert (out == f["features/logmel"][row]).all(), row
        t = acousticpipe.open(sys.argv[1])
        it = t.batches(8, columns=["features/logmel"], seed=1)
        b = next(it)
        assert all(v is not None for v in it._chunks.values()) and it._chunks, it._chunks
        assert (b["features/logmel"] == np.stack([t[int(i.split("-")[1])]["features/logmel"] for i in b["meta/id"]])).all()
        print("ok")
        """
        XCTAssertEqual(try ProcessRunner.readerPython(script, arguments: [store.path]).trimmingCharacters(in: .whitespacesAndNewlines), "ok")
    }
}
