import Foundation
import Store
import TestSupport
import XCTest

/// Checks that a shard is readable by h5py with no custom filter: every column's shape, dtype,
/// string encoding and values, and the root attributes.
final class H5pyInteropTests: XCTestCase {
    private static let python = "/usr/bin/python3"

    private static let script = """
    import json, sys, h5py
    out = {"columns": {}, "attrs": {}}
    with h5py.File(sys.argv[1], "r") as f:
        for k, v in f.attrs.items():
            out["attrs"][k] = v if isinstance(v, str) else v.decode("utf-8")
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset):
                return
            info = h5py.check_string_dtype(obj.dtype)
            entry = {"shape": list(obj.shape), "dtype": str(obj.dtype), "chunks": list(obj.chunks or []),
                     "compression": obj.compression}
            if info is not None:
                entry["encoding"] = info.encoding
                entry["values"] = list(obj.asstr()[...])
            elif obj.ndim == 1:
                entry["values"] = [int(x) for x in obj[...]]
            else:
                entry["first"] = [float(x) for x in obj[1].reshape(-1)]
            out["columns"][name] = entry
        f.visititems(visit)
    print(json.dumps(out))
    """

    private struct Dump: Decodable {
        struct Column: Decodable {
            var shape: [Int]
            var dtype: String
            var chunks: [Int]
            var compression: String?
            var encoding: String?
            var values: [JSONValue]?
            var first: [Float]?
        }
        var columns: [String: Column]
        var attrs: [String: String]
    }

    func testH5pyReadsEveryColumn() throws {
        let check = try ProcessRunner.run(URL(fileURLWithPath: Self.python), ["-c", "import h5py"])
        if check.status != 0 { throw XCTSkip("\(Self.python) has no h5py: \(check.err)") }

        let dir = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: dir, rows: 3)
        let result = try ProcessRunner.run(URL(fileURLWithPath: Self.python), ["-c", Self.script, dir.appendingPathComponent(info.file).path])
        XCTAssertEqual(result.status, 0, result.err)
        let dump = try JSONDecoder().decode(Dump.self, from: Data(result.out.utf8))

        XCTAssertEqual(dump.attrs, StoreTestSupport.attributes)
        XCTAssertEqual(Set(dump.columns.keys), Set(StoreTestSupport.schema.map(\.name)))
        let expectedDtypes = ["features/logmel": "float32", "targets/teacher": "float32", "meta/id": "object",
                              "meta/label": "int32", "meta/time": "int64", "meta/seed": "uint64", "meta/city": "object"]
        for spec in StoreTestSupport.schema {
            let column = try XCTUnwrap(dump.columns[spec.name])
            XCTAssertEqual(column.shape, [3] + spec.rowShape, spec.name)
            XCTAssertEqual(column.chunks, spec.rowShape.isEmpty ? [3] : [1] + spec.rowShape, spec.name)
            XCTAssertNil(column.compression, spec.name)
            XCTAssertEqual(column.dtype, expectedDtypes[spec.name], spec.name)
            if spec.dtype == .string { XCTAssertEqual(column.encoding, "utf-8", spec.name) }
        }
        XCTAssertEqual(dump.columns["meta/id"]?.values, ["clip-0", "clip-1", "clip-2"])
        XCTAssertEqual(dump.columns["meta/city"]?.values, ["Zürich", "北京-1", "Zürich"])
        XCTAssertEqual(dump.columns["meta/label"]?.values, [0, 1, -1])
        XCTAssertEqual(dump.columns["meta/time"]?.values, [-1, 1_700_000_001, 1_700_000_002])
        XCTAssertEqual(dump.columns["features/logmel"]?.first, StoreTestSupport.row(1).floats("features/logmel"))
        XCTAssertEqual(dump.columns["targets/teacher"]?.first, StoreTestSupport.row(1).floats("targets/teacher"))
        // uint64 max does not survive JSON's doubles; check the top value's exact digits instead.
        XCTAssertTrue(result.out.contains("18446744073709551615"), result.out)
    }
}
