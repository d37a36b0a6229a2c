import Foundation
import Store
import TestSupport
import XCTest

/// Variable-length columns (`ColumnSpec.timeAxis`): `[ΣT] + frame shape` plus `<name>_offsets`,
/// written in order, read back as rows by the Swift reader and by h5py with two slices.
final class VariableLengthColumnTests: XCTestCase {
    /// A [C=2, T, F=3] feature (time axis 1), a [T, K=4] target (time axis 0), ids and labels.
    static let schema: [ColumnSpec] = [
        .variableLength(name: "features/foa", frameShape: [2, 3], timeAxis: 1),
        .variableLength(name: "targets/activity", frameShape: [4], timeAxis: 0),
        ColumnSpec(name: "meta/id", dtype: .string),
        ColumnSpec(name: "meta/label", dtype: .int32),
    ]

    /// Frames of row `i`: one long enough to span chunks (5461 frames of 24 bytes a chunk), one of a single frame.
    static func frames(_ i: Int) -> Int { [7, 1, 12_000, 40, 5461][i % 5] }

    /// Row `i` in its own order: feature value (c, t, f) = i·1e5 + c·1e4·… distinct everywhere.
    static func row(_ i: Int) -> ShardRow {
        let t = frames(i)
        let feature = (0..<2).flatMap { c in (0..<t).flatMap { f in (0..<3).map { k in Float(i * 100_000 + c * 50_000 + f * 3 + k) } } }
        let target = (0..<(t * 4)).map { Float(i) + Float($0) * 0.25 }
        return ["features/foa": .float32(feature), "targets/activity": .float32(target),
                "meta/id": .string("rec-\(i)"), "meta/label": .int32(Int32(i % 3))]
    }

    @discardableResult
    static func writeShard(in directory: URL, name: String = "part-00000", rows: Int, firstRow: Int = 0) throws -> ShardInfo {
        let writer = try ShardWriter(directory: directory, name: name, schema: schema, rowCount: rows, attributes: ["pipeline": "test"])
        for i in 0..<rows { try writer.write(row: row(firstRow + i), at: i) }
        return try writer.commit()
    }

    func testRowsRoundTripWithOffsetsAndCrops() throws {
        let dir = try TemporaryFolder.forTest(self)
        let info = try Self.writeShard(in: dir, rows: 5)
        let reader = try ShardReader(url: dir.appendingPathComponent(info.file), verifying: info, columns: Self.schema)
        XCTAssertEqual(reader.rowCount, 5)
        XCTAssertEqual(reader.columnNames, ["features/foa", "meta/id", "meta/label", "targets/activity"], "offsets are not columns")
        XCTAssertEqual(reader.spec(of: "features/foa"), Self.schema[0])
        XCTAssertEqual(try reader.frameCounts("features/foa"), (0..<5).map(Self.frames))
        for i in 0..<5 { XCTAssertEqual(try reader.readRow(i), Self.row(i), "row \(i)") }
        // A crop is time-major: frame t of the crop is [c][f] of frame t0 + t.
        let crop = try reader.readFrames("features/foa", row: 2, frames: 6000..<6010)
        let whole = try XCTUnwrap(Self.row(2).floats("features/foa"))
        let t = Self.frames(2)
        let expected = (6000..<6010).flatMap { f in (0..<2).flatMap { c in (0..<3).map { k in whole[(c * t + f) * 3 + k] } } }
        XCTAssertEqual(crop, expected)
        XCTAssertThrowsError(try reader.readFrames("features/foa", row: 1, frames: 0..<2)) { XCTAssertTrue("\($0)".contains("has 1"), "\($0)") }
        XCTAssertThrowsError(try reader.readFloatRows("features/foa", 0..<1)) { XCTAssertTrue("\($0)".contains("variable-length"), "\($0)") }
        // Without a manifest the file says which axis is time.
        XCTAssertEqual(try ShardReader(url: dir.appendingPathComponent(info.file)).spec(of: "features/foa"), Self.schema[0])
    }

    func testSameRowsGiveSameBytesAndRowsMustComeInOrder() throws {
        let dir = try TemporaryFolder.forTest(self)
        let first = try Self.writeShard(in: dir.appendingPathComponent("a"), rows: 5)
        let second = try Self.writeShard(in: dir.appendingPathComponent("b"), rows: 5)
        XCTAssertEqual(first.sha256, second.sha256)

        let writer = try ShardWriter(directory: dir, name: "part-00001", schema: Self.schema, rowCount: 3)
        XCTAssertThrowsError(try writer.write(row: Self.row(1), at: 1)) { XCTAssertTrue("\($0)".contains("row order"), "\($0)") }
        var bad = Self.row(0)
        bad["features/foa"] = .float32([1, 2, 3, 4])
        XCTAssertThrowsError(try writer.write(row: bad, at: 0)) { XCTAssertTrue("\($0)".contains("not a positive number of frames"), "\($0)") }
        XCTAssertThrowsError(try ShardWriter(directory: dir, name: "x", schema: Self.schema + [ColumnSpec(name: "features/foa_offsets", dtype: .int64)], rowCount: 1))
    }

    /// A shard streamed with fewer rows than planned (rejections) is shrunk to the rows written.
    func testCommitWrittenShrinksToTheRowsWritten() throws {
        let dir = try TemporaryFolder.forTest(self)
        let writer = try ShardWriter(directory: dir, name: "part-00000", schema: Self.schema, rowCount: 5)
        for i in 0..<3 { try writer.write(row: Self.row(i), at: i) }
        let info = try writer.commitWritten()
        XCTAssertEqual(info.rows, 3)
        let reader = try ShardReader(url: dir.appendingPathComponent(info.file), verifying: info, columns: Self.schema)
        XCTAssertEqual(try reader.readInt32("meta/label"), [0, 1, 2])
        XCTAssertEqual(try reader.readStrings("meta/id"), ["rec-0", "rec-1", "rec-2"])
        for i in 0..<3 { XCTAssertEqual(try reader.readRow(i), Self.row(i)) }
    }

    /// h5py reads row i as `data[off[i]:off[i+1]]` ([T_i, C, F], time first) with no custom filter.
    func testH5pyReadsRowsWithTwoSlices() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let check = try ProcessRunner.run(python, ["-c", "import h5py"])
        if check.status != 0 { throw XCTSkip("/usr/bin/python3 has no h5py: \(check.err)") }
        let dir = try TemporaryFolder.forTest(self)
        let info = try Self.writeShard(in: dir, rows: 5)
        let script = """
        import json, sys, h5py, numpy as np
        with h5py.File(sys.argv[1], "r") as f:
            off = f["features/foa_offsets"][...]
            d = f["features/foa"]
            out = {"offsets": [int(x) for x in off], "dtype": str(off.dtype), "shape": list(d.shape), "chunks": list(d.chunks),
                   "axis": d.attrs["time_axis"] if isinstance(d.attrs["time_axis"], str) else d.attrs["time_axis"].decode(),
                   "rows": [np.moveaxis(d[off[i]:off[i + 1]], 0, 1).reshape(-1).tolist() for i in range(len(off) - 1)],
                   "targets": [f["targets/activity"][a:b].reshape(-1).tolist()
                               for a, b in zip(f["targets/activity_offsets"][:-1], f["targets/activity_offsets"][1:])]}
        print(json.dumps(out))
        """
        let result = try ProcessRunner.run(python, ["-c", script, dir.appendingPathComponent(info.file).path])
        XCTAssertEqual(result.status, 0, result.err)
        struct Dump: Decodable { var offsets: [Int]; var dtype: String; var shape: [Int]; var chunks: [Int]; var axis: String
                                 var rows: [[Float]]; var targets: [[Float]] }
        let dump = try JSONDecoder().decode(Dump.self, from: Data(result.out.utf8))
        var offsets = [0]
        for i in 0..<5 { offsets.append(offsets.last! + Self.frames(i)) }
        XCTAssertEqual(dump.offsets, offsets)
        XCTAssertEqual(dump.dtype, "int64")
        XCTAssertEqual(dump.shape, [offsets.last!, 2, 3])
        XCTAssertEqual(dump.chunks, [Self.schema[0].framesPerChunk, 2, 3])
        XCTAssertEqual(dump.axis, "1")
        XCTAssertEqual(dump.rows, (0..<5).map { try! XCTUnwrap(Self.row($0).floats("features/foa")) })
        XCTAssertEqual(dump.targets, (0..<5).map { try! XCTUnwrap(Self.row($0).floats("targets/activity")) })
    }

    /// A store of two variable-length shards and a view selecting rows across both: the view's rows
    /// are the parent's, in the view's order, and its own column overrides.
    func testViewOfAVariableLengthStoreReadsTheSelectedRows() throws {
        let root = try TemporaryFolder.forTest(self)
        let store = root.appendingPathComponent("store")
        let shards = store.appendingPathComponent("shards")
        let first = try Self.writeShard(in: shards, name: "part-00000", rows: 3)
        let second = try Self.writeShard(in: shards, name: "part-00001", rows: 4, firstRow: 3)
        try Manifest(pipeline: "test", configHash: "abc", createdBy: "VariableLengthColumnTests", columns: Self.schema,
                     classes: ["a", "b", "c"], shards: [first.inFolder("shards"), second.inFolder("shards")], rowCount: 7).write(to: store)
        let parent = try StoreReader(manifest: store)
        XCTAssertEqual(Manifest.load(fromOrNil: store)?.columns.first?.timeAxis, 1, "the manifest records the time axis")
        let kept = [1, 2, 4, 6]
        let out = root.appendingPathComponent("view")
        let view = try ViewWriter(parent: parent, directory: out, stage: "relabel", configHash: "r1", rows: kept,
                                  columns: [ColumnSpec(name: "meta/label", dtype: .int32)])
        for n in kept.indices { try view.append(["meta/label": .int32(Int32(20 + n))]) }
        try view.commit()
        let reader = try StoreReader(manifest: out)
        XCTAssertEqual(reader.rowCount, 4)
        for (n, row) in kept.enumerated() {
            var expected = Self.row(row)
            expected["meta/label"] = .int32(Int32(20 + n))
            XCTAssertEqual(try reader.readRow(n), expected, "view row \(n) = store row \(row)")
        }
        XCTAssertEqual(try reader.readColumn("features/foa").map { $0.floats?.count }, kept.map { Self.frames($0) * 6 })
        XCTAssertTrue(reader.verify().isValid)
    }
}

extension VariableLengthColumnTests {
    /// acousticpipe reads a variable-length column as per-row arrays in the row's own shape
    /// ([C, T_i, F] here, [T_i, K] for targets) from a store and a view, equal to the Swift rows and
    /// to h5py's `data[off[i]:off[i+1]]` of the shards.
    func testPythonReaderReadsVariableLengthRowsOfStoreAndView() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let check = try ProcessRunner.run(python, ["-c", "import h5py, numpy"])
        if check.status != 0 { throw XCTSkip("/usr/bin/python3 has no h5py/numpy: \(check.err)") }
        let root = try TemporaryFolder.forTest(self)
        let store = root.appendingPathComponent("store")
        let shards = store.appendingPathComponent("shards")
        let first = try Self.writeShard(in: shards, name: "part-00000", rows: 3)
        let second = try Self.writeShard(in: shards, name: "part-00001", rows: 4, firstRow: 3)
        try Manifest(pipeline: "test", configHash: "abc", createdBy: "VariableLengthColumnTests", columns: Self.schema,
                     classes: ["a", "b", "c"], shards: [first.inFolder("shards"), second.inFolder("shards")], rowCount: 7).write(to: store)
        let kept = [0, 2, 3, 6]
        let view = root.appendingPathComponent("view")
        let writer = try ViewWriter(parent: try StoreReader(manifest: store), directory: view, stage: "v", configHash: "v1", rows: kept,
                                    columns: [ColumnSpec(name: "meta/label", dtype: .int32)])
        for n in kept.indices { try writer.append(["meta/label": .int32(Int32(n))]) }
        try writer.commit()
        let script = """
        import json, sys
        import numpy as np, h5py
        sys.path.insert(0, sys.argv[1])
        import acousticpipe
        out = {}
        for name, path in (("store", sys.argv[2]), ("view", sys.argv[3])):
            t = acousticpipe.open(path)
            column = t.column("features/foa")
            out[name] = {"variable": [t.is_variable_length(c) for c in ("features/foa", "targets/activity", "meta/id")],
                         "shapes": [list(x.shape) for x in column],
                         "features": [x.reshape(-1).tolist() for x in column],
                         "targets": [x.reshape(-1).tolist() for x in t.column("targets/activity")],
                         "row": t[len(t) - 1]["features/foa"].reshape(-1).tolist(),
                         "labels": t.column("meta/label").tolist()}
            t.close()
        direct = []
        for shard in sys.argv[4:]:
            with h5py.File(shard, "r") as f:
                off, d = f["features/foa_offsets"][...], f["features/foa"]
                direct += [np.moveaxis(d[off[i]:off[i + 1]], 0, 1).reshape(-1).tolist() for i in range(len(off) - 1)]
        out["direct"] = direct
        print(json.dumps(out))
        """
        let run = try ProcessRunner.run(python, ["-B", "-c", script, PythonReaderTests.packageFolder.path, store.path, view.path,
                                                 shards.appendingPathComponent("part-00000.h5").path,
                                                 shards.appendingPathComponent("part-00001.h5").path])
        XCTAssertEqual(run.status, 0, run.err)
        struct Table: Decodable { var variable: [Bool]; var shapes: [[Int]]; var features: [[Float]]; var targets: [[Float]]
                                  var row: [Float]; var labels: [Int] }
        struct Dump: Decodable { var store: Table; var view: Table; var direct: [[Float]] }
        let dump = try JSONDecoder().decode(Dump.self, from: Data(run.out.utf8))
        let all = Array(0..<7)
        for (table, rows) in [(dump.store, all), (dump.view, kept)] {
            XCTAssertEqual(table.variable, [true, true, false])
            XCTAssertEqual(table.shapes, rows.map { [2, Self.frames($0), 3] })
            XCTAssertEqual(table.features, rows.map { Self.row($0).floats("features/foa")! })
            XCTAssertEqual(table.targets, rows.map { Self.row($0).floats("targets/activity")! })
            XCTAssertEqual(table.row, Self.row(rows.last!).floats("features/foa"))
        }
        XCTAssertEqual(dump.view.labels, [0, 1, 2, 3])
        XCTAssertEqual(dump.direct, all.map { Self.row($0).floats("features/foa")! })
    }
}

extension VariableLengthColumnTests {
    /// Offsets that do not describe the data are refused by name before any row is read.
    func testDamagedOffsetsAreRefusedByName() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let check = try ProcessRunner.run(python, ["-c", "import h5py"])
        if check.status != 0 { throw XCTSkip("/usr/bin/python3 has no h5py: \(check.err)") }
        let dir = try TemporaryFolder.forTest(self)
        let script = """
        import sys, h5py, numpy as np
        for name, offsets in (("falling", [0, 6, 4, 10]), ("short", [0, 4, 10]), ("none", None), ("ok", [0, 4, 6, 10])):
            with h5py.File(sys.argv[1] + "/" + name + ".h5", "w") as f:
                d = f.create_dataset("features/x", data=np.arange(20, dtype=np.float32).reshape(10, 2))
                d.attrs["time_axis"] = "1"
                f.create_dataset("meta/label", data=np.zeros(3, dtype=np.int32))
                if offsets is not None:
                    f.create_dataset("features/x_offsets", data=np.array(offsets, dtype=np.int64))
        """
        let made = try ProcessRunner.run(python, ["-c", script, dir.path])
        XCTAssertEqual(made.status, 0, made.err)
        let spec = ColumnSpec.variableLength(name: "features/x", frameShape: [2], timeAxis: 1)
        let ok = try ShardReader(url: dir.appendingPathComponent("ok.h5"))
        XCTAssertEqual(ok.spec(of: "features/x"), spec)
        XCTAssertEqual(try ok.frameCounts("features/x"), [4, 2, 4])
        XCTAssertEqual(try ok.readRow(1, columns: ["features/x"]).floats("features/x"), [8, 10, 9, 11], "[C=2, T=2] from frames 4, 5")
        XCTAssertThrowsError(try ShardReader(url: dir.appendingPathComponent("falling.h5"))) {
            XCTAssertTrue("\($0)".contains("falling.h5") && "\($0)".contains("must rise from 0"), "\($0)")
        }
        XCTAssertThrowsError(try ShardReader(url: dir.appendingPathComponent("short.h5"))) {
            XCTAssertTrue("\($0)".contains("short.h5") && "\($0)".contains("has 3 rows, others have 2"), "\($0)")
        }
        // Without offsets and without a manifest it is a plain column; with the manifest's schema it is an error.
        let none = dir.appendingPathComponent("none.h5")
        XCTAssertThrowsError(try ShardReader(url: none, verifying: ShardInfo(file: "none.h5", rows: 3,
                                                                             sha256: try FileDigest.of(none).sha256,
                                                                             bytes: try FileDigest.of(none).bytes),
                                             columns: [spec, ColumnSpec(name: "meta/label", dtype: .int32)])) {
            XCTAssertTrue("\($0)".contains("has no 'features/x_offsets'"), "\($0)")
        }
    }
}

private extension Manifest {
    static func load(fromOrNil url: URL) -> Manifest? { try? Manifest.load(from: url) }
}
