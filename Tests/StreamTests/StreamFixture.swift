import Foundation
import Store
import XCTest

/// A small store whose every value names its row, so a misplaced, missing or repeated row shows.
enum StreamFixture {
    static let classes = ["a", "b", "c"]
    static let featureShape = [1, 4, 3]

    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("StreamTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static let schema: [ColumnSpec] = [
        ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: featureShape),
        ColumnSpec(name: "targets/teacher", dtype: .float32, rowShape: [3]),
        ColumnSpec(name: "meta/id", dtype: .string),
        ColumnSpec(name: "meta/label", dtype: .int32),
        ColumnSpec(name: "meta/split", dtype: .string),
        ColumnSpec(name: "meta/variant", dtype: .int32),
        ColumnSpec(name: "meta/source", dtype: .string),
    ]

    static func label(_ i: Int) -> Int32 { i % 7 == 6 ? -1 : Int32(i % 3) }
    static func split(_ i: Int) -> String { i % 5 == 0 ? "validation" : "train" }
    static func variant(_ i: Int) -> Int32 { Int32(i % 2) }
    static func source(_ i: Int) -> String { i % 4 == 0 ? "corpus-b" : "corpus-a" }
    static func features(_ i: Int) -> [Float] { (0..<12).map { Float(i * 1000 + $0) } }
    static func teacher(_ i: Int) -> [Float] { [Float(i), -Float(i), 0.5] }

    static func row(_ i: Int) -> ShardRow {
        ["features/logmel": .float32(features(i)), "targets/teacher": .float32(teacher(i)),
         "meta/id": .string("clip-\(i)"), "meta/label": .int32(label(i)), "meta/split": .string(split(i)),
         "meta/variant": .int32(variant(i)), "meta/source": .string(source(i))]
    }

    /// A store of shards holding `shardRows[k]` rows each, rows numbered across shards.
    static func makeStore(in root: URL, shardRows: [Int] = [23, 17, 30, 10]) throws -> URL {
        let store = root.appendingPathComponent("store")
        let shards = store.appendingPathComponent("shards")
        var infos: [ShardInfo] = []
        var first = 0
        for (k, rows) in shardRows.enumerated() {
            let writer = try ShardWriter(directory: shards, name: String(format: "part-%05d", k), schema: schema, rowCount: rows)
            for i in 0..<rows { try writer.write(row: row(first + i), at: i) }
            infos.append(try writer.commit().inFolder("shards"))
            first += rows
        }
        let manifest = Manifest(pipeline: "stream-test", configHash: "stream-1", createdBy: "StreamTests",
                                columns: schema, classes: classes, shards: infos, rowCount: first)
        try manifest.write(to: store)
        return store
    }
}
