import Foundation
import Store
import TestSupport
import XCTest

final class ShardWriterTests: XCTestCase {
    func testRoundTripOfEveryDtypeAndShape() throws {
        let dir = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: dir, rows: 6)
        XCTAssertEqual(info.file, "part-00000.h5")
        XCTAssertEqual(info.rows, 6)

        let reader = try ShardReader(url: dir.appendingPathComponent(info.file))
        XCTAssertEqual(reader.rowCount, 6)
        XCTAssertEqual(Set(reader.columns), Set(StoreTestSupport.schema))
        XCTAssertEqual(reader.spec(of: "features/logmel")?.rowShape, [2, 3, 4])
        XCTAssertEqual(reader.attributes, StoreTestSupport.attributes)
        for i in 0..<6 {
            XCTAssertEqual(try reader.readRow(i), StoreTestSupport.row(i), "row \(i)")
        }
        XCTAssertEqual(try reader.readStrings("meta/id"), (0..<6).map { "clip-\($0)" })
        XCTAssertEqual(try reader.readInt32("meta/label"), [0, 1, -1, 0, 1, -1])
        XCTAssertEqual(try reader.readInt64("meta/time", 0..<2), [-1, 1_700_000_001])
        XCTAssertEqual(try reader.readUInt64("meta/seed", 5..<6), [UInt64.max - 5])
        XCTAssertEqual(try reader.readColumn("meta/city").map { $0.string }, (0..<6).map {
            $0 % 2 == 0 ? "Zürich" : "北京-\($0)"
        })
        let flat = try reader.readFloatRows("features/logmel", 2..<4)
        XCTAssertEqual(flat, (2..<4).flatMap { StoreTestSupport.row($0).floats("features/logmel") ?? [] })
    }

    func testSingleRowReadReturnsOnlyRequestedColumns() throws {
        let dir = try TemporaryFolder.forTest(self)
        try StoreTestSupport.writeShard(in: dir, rows: 4)
        let reader = try ShardReader(url: dir.appendingPathComponent("part-00000.h5"))
        let row = try reader.readRow(3, columns: ["meta/id", "targets/teacher"])
        XCTAssertEqual(row.columnNames, ["meta/id", "targets/teacher"])
        XCTAssertEqual(row.string("meta/id"), "clip-3")
        XCTAssertEqual(row.floats("targets/teacher"), [3, 2.5, 2, 1.5, 1])
        XCTAssertThrowsError(try reader.readRow(4)) { error in
            XCTAssertEqual(error as? StoreError, .rowOutOfRange(path: reader.url.path, index: 4, rowCount: 4))
        }
        XCTAssertThrowsError(try reader.readInt32("meta/id")) { error in
            XCTAssertTrue("\(error)".contains("read as int32"), "\(error)")
        }
    }

    func testCommitRenamesAndWritesSidecarAfterward() throws {
        let dir = try TemporaryFolder.forTest(self)
        let writer = try ShardWriter(directory: dir, name: "part-00003", schema: StoreTestSupport.schema,
                                     rowCount: 2, attributes: [:])
        XCTAssertTrue(FileManager.default.fileExists(atPath: writer.temporaryURL.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: writer.finalURL.path))
        try writer.write(row: StoreTestSupport.row(0), at: 0)
        try writer.write(row: StoreTestSupport.row(1), at: 1)
        let info = try writer.commit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: writer.temporaryURL.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: writer.finalURL.path))
        let sidecar = try ShardSidecar.load(from: writer.sidecarURL)
        XCTAssertEqual(sidecar.info, info)
        XCTAssertEqual(sidecar.ids, ["clip-0", "clip-1"])
        XCTAssertEqual(sidecar.columns, StoreTestSupport.schema)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(),
                       ["part-00003.h5", "part-00003.json"])
    }

    func testUncommittedWriterLeavesNothingBehind() throws {
        let dir = try TemporaryFolder.forTest(self)
        do {
            let writer = try ShardWriter(directory: dir, name: "part-00000", schema: StoreTestSupport.schema,
                                         rowCount: 3, attributes: [:])
            try writer.write(row: StoreTestSupport.row(0), at: 0)
            XCTAssertThrowsError(try writer.commit()) { error in
                XCTAssertTrue("\(error)".contains("2 of 3 rows never written (first: row 1)"), "\(error)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testRejectsRowsThatDoNotMatchTheSchema() throws {
        let dir = try TemporaryFolder.forTest(self)
        let writer = try ShardWriter(directory: dir, name: "p", schema: StoreTestSupport.schema, rowCount: 2, attributes: [:])
        var short = StoreTestSupport.row(0)
        short["features/logmel"] = .float32([1, 2, 3])
        XCTAssertThrowsError(try writer.write(row: short, at: 0)) { XCTAssertTrue("\($0)".contains("3 values for shape [2, 3, 4]")) }
        var wrongType = StoreTestSupport.row(0)
        wrongType["meta/label"] = .int64(1)
        XCTAssertThrowsError(try writer.write(row: wrongType, at: 0)) { XCTAssertTrue("\($0)".contains("expected int32, got int64")) }
        var missing = StoreTestSupport.row(0)
        missing["meta/seed"] = nil
        XCTAssertThrowsError(try writer.write(row: missing, at: 0)) { XCTAssertTrue("\($0)".contains("lacks column 'meta/seed'")) }
        var extra = StoreTestSupport.row(0)
        extra["meta/extra"] = .int32(1)
        XCTAssertThrowsError(try writer.write(row: extra, at: 0)) { XCTAssertTrue("\($0)".contains("'meta/extra' not in the schema")) }
        XCTAssertThrowsError(try writer.write(row: StoreTestSupport.row(2), at: 2))
        try writer.write(row: StoreTestSupport.row(0), at: 0)
        XCTAssertThrowsError(try writer.write(row: StoreTestSupport.row(0), at: 0)) { XCTAssertTrue("\($0)".contains("written twice")) }
        XCTAssertThrowsError(try ShardWriter(directory: dir, name: "q", schema: [ColumnSpec(name: "meta/x", dtype: .int32, rowShape: [2])],
                                             rowCount: 1, attributes: [:]))
    }

    func testSameRowsGiveByteIdenticalFiles() throws {
        let first = try TemporaryFolder.forTest(self)
        let second = try TemporaryFolder.forTest(self)
        let a = try StoreTestSupport.writeShard(in: first, rows: 5)
        // Object timestamps have one-second resolution: wait so tracked times would differ.
        Thread.sleep(forTimeInterval: 1.1)
        let b = try StoreTestSupport.writeShard(in: second, rows: 5)
        let bytesA = try Data(contentsOf: first.appendingPathComponent(a.file))
        let bytesB = try Data(contentsOf: second.appendingPathComponent(b.file))
        XCTAssertEqual(bytesA, bytesB)
        XCTAssertEqual(a, b)
    }

    func testSidecarDigestMatchesSha256sum() throws {
        let dir = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: dir, rows: 3)
        let path = dir.appendingPathComponent(info.file).path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sha256sum"), [path])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.out.split(separator: " ").first.map(String.init), info.sha256)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, info.bytes)
    }

    func testDigestOfKnownBytes() throws {
        let dir = try TemporaryFolder.forTest(self)
        let url = dir.appendingPathComponent("abc.txt")
        try Data("abc".utf8).write(to: url)
        XCTAssertEqual(try FileDigest.of(url), FileDigest(
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", bytes: 3))
    }

    func testZeroRowShardIsReadable() throws {
        let dir = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: dir, rows: 0)
        let reader = try ShardReader(url: dir.appendingPathComponent(info.file))
        XCTAssertEqual(reader.rowCount, 0)
        XCTAssertEqual(try reader.readStrings("meta/id"), [])
        XCTAssertEqual(reader.spec(of: "features/logmel")?.rowShape, [2, 3, 4])
    }

    func testOpeningMissingOrCorruptShardNamesTheFile() throws {
        let dir = try TemporaryFolder.forTest(self)
        let missing = dir.appendingPathComponent("nope.h5")
        XCTAssertThrowsError(try ShardReader(url: missing)) { error in
            XCTAssertEqual(error as? StoreError, .missingFile(path: missing.path))
        }
        let info = try StoreTestSupport.writeShard(in: dir, rows: 2)
        let url = dir.appendingPathComponent(info.file)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(100).write(to: url)
        XCTAssertThrowsError(try ShardReader(url: url)) { error in
            guard case let .hdf5(call, path, reason)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(call, "H5Fopen")
            XCTAssertEqual(path, url.path)
            XCTAssertFalse(reason.isEmpty)
            XCTAssertTrue("\(error)".contains(url.path))
        }
    }
}
