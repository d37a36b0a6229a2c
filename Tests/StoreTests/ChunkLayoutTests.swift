import Foundation
import Store
import TestSupport
import XCTest

/// Scalar columns are chunked for bulk reading (up to 4096 rows a chunk), feature rows stay one per
/// chunk, and the bytes stay identical for identical rows.
final class ChunkLayoutTests: XCTestCase {
    private let schema = [ColumnSpec(name: "features/x", dtype: .float32, rowShape: [2, 3]),
                          ColumnSpec(name: "meta/id", dtype: .string),
                          ColumnSpec(name: "meta/label", dtype: .int32),
                          ColumnSpec(name: "meta/duration", dtype: .float32)]

    private func write(rows: Int, in directory: URL, name: String) throws -> URL {
        let writer = try ShardWriter(directory: directory, name: name, schema: schema, rowCount: rows)
        for i in 0..<rows {
            try writer.write(row: ["features/x": .float32((0..<6).map { Float(i) + Float($0) / 8 }),
                                   "meta/id": .string("clip-\(i)"), "meta/label": .int32(Int32(i % 7) - 1),
                                   "meta/duration": .float32([Float(i) / 4])], at: i)
        }
        _ = try writer.commit()
        return directory.appendingPathComponent(name + ".h5")
    }

    /// Rows in any order reach the file; a refused row is not half-buffered.
    func testRowsOutOfOrderAndARefusedRow() throws {
        let directory = try TemporaryFolder.forTest(self)
        let rows = 4100
        let writer = try ShardWriter(directory: directory, name: "c", schema: schema, rowCount: rows)
        func row(_ i: Int) -> ShardRow {
            ["features/x": .float32([Float](repeating: Float(i), count: 6)), "meta/id": .string("clip-\(i)"),
             "meta/label": .int32(Int32(i)), "meta/duration": .float32([Float(i) / 2])]
        }
        var bad = row(7)
        bad["meta/duration"] = .int32(1)
        XCTAssertThrowsError(try writer.write(row: bad, at: 7))
        for i in (0..<rows).reversed() { try writer.write(row: row(i), at: i) }
        _ = try writer.commit()
        let shard = try ShardReader(url: directory.appendingPathComponent("c.h5"))
        XCTAssertEqual(try shard.readInt32("meta/label"), (0..<rows).map { Int32($0) })
        XCTAssertEqual(try shard.readStrings("meta/id"), (0..<rows).map { "clip-\($0)" })
        XCTAssertEqual(try shard.readFloatRows("meta/duration", 0..<rows), (0..<rows).map { Float($0) / 2 })
    }

    func testChunkShapes() {
        XCTAssertEqual(schema[0].chunkShape(rowCount: 5000), [1, 2, 3])
        XCTAssertEqual(schema[2].chunkShape(rowCount: 5000), [4096])
        XCTAssertEqual(schema[2].chunkShape(rowCount: 128), [128])
        XCTAssertEqual(schema[2].chunkShape(rowCount: 0), [1])
    }

    func testScalarColumnsSpanManyRowsPerChunkAndReadBack() throws {
        let directory = try TemporaryFolder.forTest(self)
        let rows = 5000   // one full chunk of 4096 and a partial one
        let first = try write(rows: rows, in: directory, name: "a")
        let second = try write(rows: rows, in: directory, name: "b")
        XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second), "identical rows, identical bytes")

        let shard = try ShardReader(url: first)
        XCTAssertEqual(try shard.readInt32("meta/label"), (0..<rows).map { Int32($0 % 7) - 1 })
        XCTAssertEqual(try shard.readStrings("meta/id", 4090..<4100), (4090..<4100).map { "clip-\($0)" })
        XCTAssertEqual(try shard.readRow(4999)["meta/duration"], .float32([Float(4999) / 4]))
        XCTAssertEqual(try shard.readFloatRows("features/x", 4096..<4097), (0..<6).map { 4096 + Float($0) / 8 })

        let python = "/usr/bin/python3"
        let check = try ProcessRunner.run(URL(fileURLWithPath: python), ["-c", "import h5py"])
        if check.status != 0 { throw XCTSkip("\(python) has no h5py: \(check.err)") }
        let script = """
        import json, sys, h5py
        with h5py.File(sys.argv[1], "r") as f:
            print(json.dumps({k: list(f[k].chunks) for k in ("features/x", "meta/id", "meta/label", "meta/duration")}
                             | {"last": int(f["meta/label"][-1]), "ids": list(f["meta/id"].asstr()[4095:4097])}))
        """
        let run = try ProcessRunner.run(URL(fileURLWithPath: python), ["-c", script, first.path])
        XCTAssertEqual(run.status, 0, run.err)
        let dump = try JSONDecoder().decode([String: JSONValue].self, from: Data(run.out.utf8))
        XCTAssertEqual(dump["features/x"], [1, 2, 3])
        XCTAssertEqual(dump["meta/id"], [4096])
        XCTAssertEqual(dump["meta/label"], [4096])
        XCTAssertEqual(dump["meta/duration"], [4096])
        XCTAssertEqual(dump["last"], .integer(Int64(4999 % 7 - 1)))
        XCTAssertEqual(dump["ids"], ["clip-4095", "clip-4096"])
    }
}
