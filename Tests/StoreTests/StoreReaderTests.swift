import Foundation
import Store
import TestSupport
import XCTest

final class StoreReaderTests: XCTestCase {
    /// A store of two shards (rows 0–3 and 4–6) with its manifest.
    private func makeStore() throws -> URL {
        let store = try TemporaryFolder.forTest(self).appendingPathComponent("store")
        let shards = store.appendingPathComponent("shards")
        let first = try StoreTestSupport.writeShard(in: shards, name: "part-00000", rows: 4, firstRow: 0)
        let second = try StoreTestSupport.writeShard(in: shards, name: "part-00001", rows: 3, firstRow: 4)
        let manifest = Manifest(pipeline: "test", configHash: "abc123", createdBy: "StoreTests",
                                parameters: ["n_mels": 4, "fmax": nil, "window": "hann", "hop": 0.5],
                                columns: StoreTestSupport.schema, classes: ["a", "b", "c"],
                                counts: [ClassCount(corpus: "x", label: "a", split: "train", count: 7)],
                                shards: [first.inFolder("shards"), second.inFolder("shards")],
                                rejected: [RejectedInput(path: "/data/bad.wav", line: 3, reason: "unreadable", stage: "decode")],
                                rowCount: 7)
        try manifest.write(to: store)
        return store
    }

    func testManifestRoundTripIsDeterministic() throws {
        let store = try makeStore()
        let url = store.appendingPathComponent("manifest.json")
        let manifest = try Manifest.load(from: store)
        XCTAssertEqual(manifest.parameters["n_mels"], .integer(4))
        XCTAssertEqual(manifest.parameters["hop"], .number(0.5))
        XCTAssertEqual(manifest.parameters["fmax"], .null)
        XCTAssertEqual(manifest.libraries["hdf5"]?.hasPrefix("1."), true)
        let bytes = try Data(contentsOf: url)
        try manifest.write(to: url)
        XCTAssertEqual(try Data(contentsOf: url), bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("\"file\" : \"shards/part-00000.h5\""), text)
        XCTAssertLessThan(try XCTUnwrap(text.range(of: "\"classes\"")).lowerBound,
                          try XCTUnwrap(text.range(of: "\"columns\"")).lowerBound, "keys are sorted")
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path + ".tmp"))
    }

    func testStoreReaderSpansShards() throws {
        let reader = try StoreReader(manifest: try makeStore())
        XCTAssertEqual(reader.rowCount, 7)
        XCTAssertEqual(reader.segmentCount, 2)
        XCTAssertEqual(reader.classes, ["a", "b", "c"])
        for i in 0..<7 { XCTAssertEqual(try reader.readRow(i), StoreTestSupport.row(i), "row \(i)") }
        XCTAssertEqual(try reader.readRow(5, columns: ["meta/id"]), ["meta/id": .string("clip-5")])
        XCTAssertEqual(try reader.readStrings("meta/id"), (0..<7).map { "clip-\($0)" })
        XCTAssertEqual(try reader.readUInt64("meta/seed").last, UInt64.max - 6)
        XCTAssertThrowsError(try reader.readRow(7))
        XCTAssertThrowsError(try reader.readColumn("meta/nothing")) { XCTAssertTrue("\($0)".contains("no column 'meta/nothing'")) }
        XCTAssertTrue(reader.verify().isValid)
        // The manifest, two shards and their two sidecars.
        XCTAssertEqual(reader.verify().checked.count, 5)
    }

    func testVerifyDetectsCorruptedAndMissingShards() throws {
        let store = try makeStore()
        let shard = store.appendingPathComponent("shards/part-00001.h5")
        var bytes = try Data(contentsOf: shard)
        bytes[bytes.count - 10] ^= 0xFF
        try bytes.write(to: shard)
        let reader = try StoreReader(manifest: store)
        let report = reader.verify()
        XCTAssertEqual(report.failures.map(\.path), [shard.path])
        XCTAssertTrue(report.failures[0].reason.contains("checksum mismatch"), report.failures[0].reason)

        let first = store.appendingPathComponent("shards/part-00000.h5")
        try FileManager.default.removeItem(at: first)
        let second = try StoreReader(manifest: store)
        XCTAssertEqual(second.verify().failures.map(\.path), [first.path, shard.path])
        XCTAssertThrowsError(try second.readRow(0)) { error in
            XCTAssertEqual(error as? StoreError, .missingFile(path: first.path))
            XCTAssertTrue("\(error)".contains("shards/part-00000.h5"))
        }
    }

    func testViewOverridesAndAddsColumnsWithoutCopyingFeatures() throws {
        let store = try makeStore()
        let parent = try StoreReader(manifest: store)
        let out = store.deletingLastPathComponent().appendingPathComponent("views/relabel")
        let kept = [1, 3, 4, 6]  // spans both shards
        let view = try ViewWriter(parent: parent, directory: out, stage: "relabel", configHash: "relabel-1", rows: kept, columns: [
            ColumnSpec(name: "meta/label", dtype: .int32),
            ColumnSpec(name: "meta/label_coarse", dtype: .int32),
        ])
        for (n, row) in kept.enumerated() {
            try view.append(["meta/label": .int32(Int32(10 + n)), "meta/label_coarse": .int32(Int32(row % 2))])
        }
        let manifest = try view.commit { $0.classes = ["x", "y"]; $0.columnClasses = ["meta/label_coarse": ["in", "out"]] }
        XCTAssertEqual(manifest.parent, "../../store/manifest.json")
        XCTAssertEqual(manifest.selection?.map(\.rows), [[1, 3], [0, 2]])
        let token = try XCTUnwrap(manifest.columnFiles?.first?.file.split(separator: "-").dropFirst().first.map(String.init))
        XCTAssertEqual(token.count, 8, "column files are named <stage>-<token>-NNNNN")
        XCTAssertEqual(manifest.columnFiles?.map(\.file), ["columns/relabel-\(token)-00000.h5", "columns/relabel-\(token)-00001.h5"])
        XCTAssertEqual(manifest.parentIdentity, try Manifest.load(from: store).identity())
        XCTAssertEqual(manifest.overriddenColumns, ["meta/label"])
        XCTAssertEqual(manifest.addedColumns, ["meta/label_coarse"])

        let reader = try StoreReader(manifest: out)
        XCTAssertEqual(reader.rowCount, 4)
        XCTAssertEqual(reader.classes, ["x", "y"])
        XCTAssertEqual(try reader.readInt32("meta/label"), [10, 11, 12, 13])
        XCTAssertEqual(try reader.readInt32("meta/label_coarse"), [1, 1, 0, 0])
        XCTAssertEqual(try reader.readStrings("meta/id"), kept.map { "clip-\($0)" })
        for (n, row) in kept.enumerated() {
            var expected = StoreTestSupport.row(row)
            expected["meta/label"] = .int32(Int32(10 + n))
            expected["meta/label_coarse"] = .int32(Int32(row % 2))
            XCTAssertEqual(try reader.readRow(n), expected)
        }
        XCTAssertTrue(reader.verify().isValid)
        // Both manifests, two shards, two column files and the four sidecars.
        XCTAssertEqual(reader.verify().checked.count, 10)
        let viewFiles = try FileManager.default.subpathsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(viewFiles, ["columns", "columns/relabel-\(token)-00000.h5", "columns/relabel-\(token)-00000.json",
                                   "columns/relabel-\(token)-00001.h5", "columns/relabel-\(token)-00001.json", "manifest.json"])
        for file in viewFiles where file.hasSuffix(".h5") {
            let columns = try ShardReader(url: out.appendingPathComponent(file)).columnNames
            XCTAssertEqual(columns, ["meta/label", "meta/label_coarse"], "no features in view files")
        }

        // A view of the view: keep the last two rows, relabel again.
        let nested = store.deletingLastPathComponent().appendingPathComponent("views/nested")
        let second = try ViewWriter(parent: reader, directory: nested, stage: "again", configHash: "again-1", rows: [2, 3],
                                    columns: [ColumnSpec(name: "meta/label", dtype: .int32)])
        try second.append(["meta/label": .int32(0)])
        try second.append(["meta/label": .int32(1)])
        try second.commit()
        let nestedReader = try StoreReader(manifest: nested)
        XCTAssertEqual(try nestedReader.readInt32("meta/label"), [0, 1])
        XCTAssertEqual(try nestedReader.readInt32("meta/label_coarse"), [0, 0])
        XCTAssertEqual(try nestedReader.readRow(1, columns: ["meta/id", "features/logmel"]).string("meta/id"), "clip-6")
        XCTAssertEqual(try nestedReader.readRow(1).floats("features/logmel"), StoreTestSupport.row(6).floats("features/logmel"))
        XCTAssertEqual(try Manifest.load(from: nested).selection?.map(\.rows), [[], [0, 1]])
    }

    func testViewWriterRejectsBadSelections() throws {
        let store = try makeStore()
        let parent = try StoreReader(manifest: store)
        let out = store.deletingLastPathComponent().appendingPathComponent("bad")
        let column = [ColumnSpec(name: "meta/flag", dtype: .int32)]
        XCTAssertThrowsError(try ViewWriter(parent: parent, directory: out, stage: "s", configHash: "s", rows: [2, 1], columns: column))
        XCTAssertThrowsError(try ViewWriter(parent: parent, directory: out, stage: "s", configHash: "s", rows: [7], columns: column))
        XCTAssertThrowsError(try ViewWriter(parent: parent, directory: store, stage: "s", configHash: "s", rows: [0], columns: column))
        let view = try ViewWriter(parent: parent, directory: out, stage: "s", configHash: "s", rows: [0, 5], columns: column)
        try view.append(["meta/flag": .int32(1)])
        XCTAssertThrowsError(try view.commit()) { XCTAssertTrue("\($0)".contains("1 of 2 rows appended")) }
    }
}
