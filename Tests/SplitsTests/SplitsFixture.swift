import Foundation
import Randomness
import Store
import TestSupport
import XCTest

/// Small stores for the split tests: seeded random log-mel-like features (a per-row level, a
/// per-row spectral tilt and noise), labels, corpora, splits, locations and record times.
enum SplitsFixture {
    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        try TemporaryFolder.forTest(test, label: "SplitsTests")
    }

    static let classes = ["Bus", "Metro", "Park"]

    static func schema(shape: [Int]) -> [ColumnSpec] {
        [
            ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: shape),
            ColumnSpec(name: "meta/id", dtype: .string),
            ColumnSpec(name: "meta/label", dtype: .int32),
            ColumnSpec(name: "meta/source", dtype: .string),
            ColumnSpec(name: "meta/split", dtype: .string),
            ColumnSpec(name: "meta/location", dtype: .string),
            ColumnSpec(name: "meta/time", dtype: .int64),
        ]
    }

    /// Writes a store of `rows` rows in two shards; `split(row)` and `location(row)` give each row's values.
    @discardableResult
    static func makeStore(at url: URL, rows: Int, seed: UInt64, shape: [Int] = [1, 6, 5], source: String = "cas2023",
                          tilt: Double = 0, split: (Int) -> String = { $0 % 2 == 0 ? "validation" : "train" },
                          location: (Int) -> String = { "City\($0 % 4)" }) throws -> URL {
        var random = SplitMix64(seed: seed)
        let schema = schema(shape: shape)
        let elements = shape.reduce(1, *)
        let bands = shape.last ?? 1
        var shards: [ShardInfo] = []
        let first = rows / 2
        for (shard, range) in [0..<first, first..<rows].enumerated() {
            let writer = try ShardWriter(directory: url.appendingPathComponent("shards"), name: "part-0000\(shard)",
                                         schema: schema, rowCount: range.count, attributes: ["schema_version": "1"])
            for row in range {
                let level = -40 + 20 * random.nextSigned()
                let slope = tilt + 3 * random.nextSigned()
                let features = (0..<elements).map { e in
                    Float(level + slope * Double(e % bands) + 2 * random.nextSigned())
                }
                try writer.write(row: [
                    "features/logmel": .float32(features),
                    "meta/id": .string("\(source)/clip-\(row)"),
                    "meta/label": .int32(row % 5 == 4 ? -1 : Int32(row % 3)),
                    "meta/source": .string(source),
                    "meta/split": .string(split(row)),
                    "meta/location": .string(location(row)),
                    "meta/time": .int64(Int64(1_000 + row * 7)),
                ], at: row - range.lowerBound)
            }
            shards.append(try writer.commit().inFolder("shards"))
        }
        try Manifest(pipeline: "ingest", configHash: "fixture-\(seed)", createdBy: "SplitsTests", columns: schema,
                     classes: classes, shards: shards, rowCount: rows).write(to: url)
        return url
    }

    /// Runs `script` with Debian's python3 (numpy, h5py) and the repo's reader on its path; skips
    /// without /usr/bin/python3. Returns stdout; a failing script fails the test with its stderr.
    static func python(_ script: String, arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try ProcessRunner.readerPython(script, arguments: arguments, file: file, line: line)
    }
}
