import Foundation
import Randomness
import Store
import TestSupport
import XCTest

/// A small store for the label-stage tests, and Python runs with the repo's reader.
enum LabelsFixture {
    static let classes = ["Bus", "Metro", "Park", "Square"]

    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        try TemporaryFolder.forTest(test, label: "LabelsTests")
    }

    /// `rows` rows in one shard; `label(row)` gives -1 for unlabeled.
    static func makeStore(at url: URL, rows: Int, label: (Int) -> Int32) throws -> URL {
        let schema = [
            ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: [1, 2, 3]),
            ColumnSpec(name: "meta/id", dtype: .string),
            ColumnSpec(name: "meta/label", dtype: .int32),
            ColumnSpec(name: "meta/source", dtype: .string),
            ColumnSpec(name: "meta/split", dtype: .string),
        ]
        let writer = try ShardWriter(directory: url.appendingPathComponent("shards"), name: "part-00000", schema: schema,
                                     rowCount: rows, attributes: ["schema_version": "1"])
        for row in 0..<rows {
            try writer.write(row: [
                "features/logmel": .float32((0..<6).map { Float(row + $0) }),
                "meta/id": .string(String(format: "clip-%03d", (row * 37) % rows)),
                "meta/label": .int32(label(row)),
                "meta/source": .string("cas2023"),
                "meta/split": .string(label(row) == -1 ? "unlabeled" : "train"),
            ], at: row)
        }
        let shard = try writer.commit().inFolder("shards")
        try Manifest(pipeline: "ingest", configHash: "labels-fixture", createdBy: "LabelsTests", columns: schema,
                     classes: classes, shards: [shard], rowCount: rows).write(to: url)
        return url
    }

    static func python(_ script: String, arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try ProcessRunner.readerPython(script, arguments: arguments, file: file, line: line)
    }
}
