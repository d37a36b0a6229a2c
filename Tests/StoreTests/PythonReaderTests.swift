import Foundation
import Store
import TestSupport
import XCTest

/// `Sources/python/acousticpipe` (numpy + h5py) reads a store, a view and a view of a view: every
/// column and a row equal StoreReader's values, and the inherited columns equal h5py reading the
/// store's shards directly at the rows the views select.
final class PythonReaderTests: XCTestCase {
    private static let python = "/usr/bin/python3"

    static var packageFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/python")
    }

    private static let script = """
    import json, sys
    import numpy as np, h5py
    sys.path.insert(0, sys.argv[1])
    import acousticpipe
    spec = json.loads(sys.argv[2])
    cache = {}
    def direct(name):
        if name not in cache:
            parts = []
            for path in spec["shards"]:
                with h5py.File(path, "r") as f:
                    d = f[name]
                    parts.append(d.asstr()[...] if h5py.check_string_dtype(d.dtype) else d[...])
            cache[name] = np.concatenate(parts)
        return cache[name]
    def plain(a):
        a = np.asarray(a)
        if a.dtype == np.uint64 or a.dtype.kind in "OUS":
            return [str(x) for x in a.reshape(-1)]
        return a.reshape(-1).tolist()
    out = []
    for entry in spec["tables"]:
        t = acousticpipe.open(entry["path"])
        rows = np.asarray(entry["rows"], dtype=np.int64)
        result = {"len": len(t), "columns": t.columns, "classes": t.classes, "splits": t.splits,
                  "column_classes": t.column_classes, "values": {}, "shapes": {}, "direct": {}, "row": {},
                  "train": t.indices("train").tolist() if "meta/split" in t.columns else []}
        for name in t.columns:
            column = t.column(name)
            result["values"][name] = plain(column)
            result["shapes"][name] = list(column.shape)
            if name in entry["inherited"]:
                result["direct"][name] = bool(np.array_equal(column, direct(name)[rows]))
        row = t[entry["row"]]
        result["row"] = {k: plain(v) for k, v in row.items()}
        result["negative"] = t[-1]["meta/id"] == t[len(t) - 1]["meta/id"]
        t.close()
        out.append(result)
    print(json.dumps(out))
    """

    private struct Result: Decodable {
        var len: Int
        var columns: [String]
        var classes: [String]
        var splits: [String: Int]
        var column_classes: [String: [String]]
        var values: [String: [JSONValue]]
        var shapes: [String: [Int]]
        var direct: [String: Bool]
        var row: [String: [JSONValue]]
        var train: [Int]
        var negative: Bool
    }

    /// A store of 10 rows in two shards, a view keeping 6 of them (new labels, an added split
    /// column), and a view of that view keeping 3 (new cities).
    private func makeTables() throws -> (store: URL, view: URL, viewOfView: URL, shards: [URL],
                                         viewRows: [Int], viewOfViewRows: [Int]) {
        let root = try TemporaryFolder.forTest(self)
        let store = root.appendingPathComponent("store")
        let shards = store.appendingPathComponent("shards")
        let first = try StoreTestSupport.writeShard(in: shards, name: "part-00000", rows: 6, firstRow: 0)
        let second = try StoreTestSupport.writeShard(in: shards, name: "part-00001", rows: 4, firstRow: 6)
        try Manifest(pipeline: "test", configHash: "abc123", createdBy: "PythonReaderTests",
                     columns: StoreTestSupport.schema, classes: ["a", "b", "c"],
                     shards: [first.inFolder("shards"), second.inFolder("shards")], rowCount: 10).write(to: store)

        let viewRows = [0, 2, 3, 5, 7, 9]
        let view = root.appendingPathComponent("view")
        let writer = try ViewWriter(parent: try StoreReader(manifest: store), directory: view, stage: "labels", configHash: "labels1",
                                    rows: viewRows, columns: [ColumnSpec(name: "meta/label", dtype: .int32),
                                                              ColumnSpec(name: "meta/split", dtype: .string)])
        for (i, row) in viewRows.enumerated() {
            try writer.append(["meta/label": .int32(i % 3 == 1 ? -1 : Int32(row % 2)),
                               "meta/split": .string(i < 4 ? "train" : "test")])
        }
        try writer.commit { $0.classes = ["even", "odd"] }

        let viewOfViewRows = [1, 2, 4]   // rows of the view: store rows 2, 3, 7
        let viewOfView = root.appendingPathComponent("deeper")
        let deeper = try ViewWriter(parent: try StoreReader(manifest: view), directory: viewOfView, stage: "cities", configHash: "cities1",
                                    rows: viewOfViewRows, columns: [ColumnSpec(name: "meta/city", dtype: .string)])
        for i in viewOfViewRows { try deeper.append(["meta/city": .string("city-\(i)")]) }
        try deeper.commit()
        return (store, view, viewOfView, [shards.appendingPathComponent("part-00000.h5"),
                                          shards.appendingPathComponent("part-00001.h5")],
                viewRows, viewOfViewRows.map { viewRows[$0] })
    }

    func testPythonReaderReadsStoreViewAndViewOfView() throws {
        let check = try ProcessRunner.run(URL(fileURLWithPath: Self.python), ["-c", "import h5py, numpy"])
        if check.status != 0 { throw XCTSkip("\(Self.python) has no h5py/numpy (apt-get install python3-h5py): \(check.err)") }
        let tables = try makeTables()
        // A manifest with fields this reader does not know (as a newer writer adds): still read.
        let extra = tables.store.appendingPathComponent("manifest-newer.json")
        guard case var .object(fields) = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf:
            tables.store.appendingPathComponent("manifest.json"))), case var .array(shards)? = fields["shards"] else {
            return XCTFail("the manifest is not an object with shards")
        }
        fields["manifestChecksum"] = "0123"
        fields["parentIdentity"] = ["configHash": "x", "shards": [1, 2]]
        shards = shards.map { shard in
            guard case var .object(info) = shard else { return shard }
            info["sidecar"] = "shards/x.json"
            return .object(info)
        }
        fields["shards"] = .array(shards)
        try JSONEncoder().encode(JSONValue.object(fields)).write(to: extra)
        let allColumns = StoreTestSupport.schema.map(\.name)
        // (path as given to acousticpipe.open, store rows, columns read from the store's shards)
        let entries: [(String, [Int], [String])] = [
            (tables.store.path, Array(0..<10), allColumns),
            (tables.view.appendingPathComponent("manifest.json").path, tables.viewRows,
             allColumns.filter { $0 != "meta/label" }),
            (tables.viewOfView.path, tables.viewOfViewRows, allColumns.filter { $0 != "meta/label" && $0 != "meta/city" }),
            (extra.path, Array(0..<10), allColumns),
        ]
        let spec: JSONValue = [
            "shards": .array(tables.shards.map { .string($0.path) }),
            "tables": .array(entries.map { path, rows, inherited in
                ["path": .string(path), "rows": .array(rows.map { .integer(Int64($0)) }),
                 "inherited": .array(inherited.map { .string($0) }), "row": .integer(Int64(rows.count / 2))]
            }),
        ]
        let specText = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        let run = try ProcessRunner.run(URL(fileURLWithPath: Self.python), ["-B", "-c", Self.script, Self.packageFolder.path, specText])
        XCTAssertEqual(run.status, 0, run.err)
        let results = try JSONDecoder().decode([Result].self, from: Data(run.out.utf8))
        XCTAssertEqual(results.count, 4)

        for ((path, rows, inherited), result) in zip(entries, results) {
            let reader = try StoreReader(manifest: path == extra.path ? tables.store : URL(fileURLWithPath: path))
            XCTAssertEqual(result.len, rows.count, path)
            XCTAssertEqual(result.columns, reader.columns.map(\.name), path)
            XCTAssertEqual(result.classes, reader.classes, path)
            XCTAssertEqual(result.column_classes, reader.manifest.columnClasses ?? [:], path)
            XCTAssertTrue(result.negative, path)
            for spec in reader.columns {
                XCTAssertEqual(result.shapes[spec.name], [rows.count] + spec.rowShape, "\(path) \(spec.name)")
                XCTAssertEqual(try Self.flat(result.values[spec.name]),
                               Self.flat(try reader.readColumn(spec.name)), "\(path) \(spec.name)")
            }
            XCTAssertEqual(Set(result.direct.keys), Set(inherited), path)
            XCTAssertTrue(result.direct.values.allSatisfy { $0 }, "\(path): \(result.direct)")
            let row = try reader.readRow(rows.count / 2)
            for spec in reader.columns {
                XCTAssertEqual(try Self.flat(result.row[spec.name]), Self.flat(row[spec.name].map { [$0] } ?? []),
                               "\(path) row \(spec.name)")
            }
        }
        // The view's split column: 4 train rows, 2 test; the deeper view keeps view rows 1, 2 (train), 4 (test).
        XCTAssertEqual(results[1].splits, ["train": 4, "test": 2])
        XCTAssertEqual(results[1].train, [0, 1, 2, 3])
        XCTAssertEqual(results[2].splits, ["train": 2, "test": 1])
        XCTAssertEqual(results[2].values["meta/city"], ["city-1", "city-2", "city-4"])
        XCTAssertEqual(results[0].splits, [:], "a store without meta/split has no splits")
        XCTAssertEqual(try Self.flat(results[1].values["meta/label"]), [.number(0), .number(-1), .number(1), .number(1), .number(-1), .number(1)])
    }

    private struct UnexpectedValue: Error { let value: JSONValue }

    /// Any value as numbers (JSON integers and floats alike) or text, for comparison.
    private enum Flat: Equatable { case number(Double), text(String) }

    private static func flat(_ values: [JSONValue]?) throws -> [Flat] {
        try XCTUnwrap(values).map { value in
            switch value {
            case let .integer(x): return .number(Double(x))
            case let .number(x): return .number(x)
            case let .string(s): return .text(s)
            default: throw UnexpectedValue(value: value)
            }
        }
    }

    private static func flat(_ values: [ColumnValue]) -> [Flat] {
        values.flatMap { value -> [Flat] in
            switch value {
            case let .float32(xs): return xs.map { .number(Double($0)) }
            case let .int32(x): return [.number(Double(x))]
            case let .int64(x): return [.number(Double(x))]
            case let .uint64(x): return [.text(String(x))]
            case let .string(s): return [.text(s)]
            }
        }
    }
}
