import Foundation
import Store
import XCTest

/// Shared fixtures: a schema and rows covering every dtype.
enum StoreTestSupport {
    /// One column of each dtype and shape the store uses.
    static let schema: [ColumnSpec] = [
        ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: [2, 3, 4]),
        ColumnSpec(name: "targets/teacher", dtype: .float32, rowShape: [5]),
        ColumnSpec(name: "meta/id", dtype: .string),
        ColumnSpec(name: "meta/label", dtype: .int32),
        ColumnSpec(name: "meta/time", dtype: .int64),
        ColumnSpec(name: "meta/seed", dtype: .uint64),
        ColumnSpec(name: "meta/city", dtype: .string),
    ]

    /// Row `i` of the test shard; every value depends on `i` so misplaced rows are detected.
    static func row(_ i: Int) -> ShardRow {
        [
            "features/logmel": .float32((0..<24).map { Float(i * 100 + $0) + 0.25 }),
            "targets/teacher": .float32((0..<5).map { Float(i) - Float($0) * 0.5 }),
            "meta/id": .string("clip-\(i)"),
            "meta/label": .int32(i % 3 == 2 ? -1 : Int32(i % 3)),
            "meta/time": .int64(i == 0 ? -1 : 1_700_000_000 + Int64(i)),
            "meta/seed": .uint64(UInt64.max - UInt64(i)),
            "meta/city": .string(i % 2 == 0 ? "Zürich" : "北京-\(i)"),
        ]
    }

    static let attributes = ["schema_version": "1", "pipeline": "test", "config_hash": "abc123"]

    /// Writes `rows` rows of `row(_:)` to `<directory>/<name>.h5` and returns the commit info.
    @discardableResult
    static func writeShard(in directory: URL, name: String = "part-00000", rows: Int = 6,
                           firstRow: Int = 0) throws -> ShardInfo {
        let writer = try ShardWriter(directory: directory, name: name, schema: schema, rowCount: rows,
                                     attributes: attributes)
        for i in 0..<rows { try writer.write(row: row(firstRow + i), at: i) }
        return try writer.commit()
    }
}
