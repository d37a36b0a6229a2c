import Foundation
import Randomness
import Store
import Stream
import XCTest

/// The stream's waveform stage: each row's stored waveform and following columns reach the
/// transform with the seed of (seed, epoch, batch, rank, position), and what it returns is the row.
final class WaveformTransformTests: XCTestCase {
    static let waveformShape = [2, 6]

    static func waveform(_ i: Int) -> [Float] { (0..<12).map { Float(i * 100 + $0) } }
    static func doa(_ i: Int) -> [Float] { [Float(i), 1, -1] }

    /// A deterministic stand-in for DIR + features: the features are the waveform's first 12 values
    /// plus a draw from the seed; the row's `targets/doa` is negated when another draw says so.
    struct Stand: WaveformTransform {
        let name = "stand-in"
        let waveformColumn = "audio/waveform"
        let followingColumns = ["targets/doa", "targets/absent"]
        static func expected(_ waveform: [Float], _ doa: [Float], seed: UInt64) -> (features: [Float], doa: [Float]) {
            var g = SplitMix64(seed: seed)
            let offset = Float(g.nextUnit())
            let flip = g.nextInt(below: 2) == 1
            return (waveform.map { $0 + offset }, flip ? doa.map { -$0 } : doa)
        }
        func features(of row: inout WaveformRow, seed: UInt64) throws -> [Float] {
            let (features, doa) = Self.expected(row.channels.flatMap { $0 }, row.columns["targets/doa"] ?? [], seed: seed)
            row.columns["targets/doa"] = doa
            XCTAssertNil(row.columns["targets/absent"], "a column the table lacks is not passed")
            return features
        }
    }

    private func makeStore(rows: [Int] = [9, 7]) throws -> URL {
        let root = try StreamFixture.temporaryDirectory(for: self)
        let schema = [ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: StreamFixture.featureShape),
                      ColumnSpec(name: "audio/waveform", dtype: .float32, rowShape: Self.waveformShape),
                      ColumnSpec(name: "targets/doa", dtype: .float32, rowShape: [3]),
                      ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32)]
        let store = root.appendingPathComponent("store")
        var infos: [ShardInfo] = []
        var first = 0
        for (k, count) in rows.enumerated() {
            let writer = try ShardWriter(directory: store.appendingPathComponent("shards"), name: String(format: "part-%05d", k),
                                         schema: schema, rowCount: count)
            for j in 0..<count {
                let i = first + j
                try writer.write(row: ["features/logmel": .float32(StreamFixture.features(i)), "audio/waveform": .float32(Self.waveform(i)),
                                       "targets/doa": .float32(Self.doa(i)), "meta/id": .string("clip-\(i)"),
                                       "meta/label": .int32(StreamFixture.label(i))], at: j)
            }
            infos.append(try writer.commit().inFolder("shards"))
            first += count
        }
        try Manifest(pipeline: "wave", configHash: "wave-1", createdBy: "WaveformTransformTests", columns: schema,
                     classes: StreamFixture.classes, shards: infos, rowCount: first).write(to: store)
        return store
    }

    private func run(_ table: StreamTable, epochs: Int, from position: StreamPosition? = nil) throws -> [Batch] {
        let stream = try BatchStream(table: table, epochs: epochs, from: position, waveform: Stand())
        var out: [Batch] = []
        while let batch = try stream.next() { out.append(batch) }
        return out
    }

    func testEachRowGetsItsWaveformAndTheSeedOfItsPlace() throws {
        let url = try makeStore()
        for rank in 0..<2 {
            let options = StreamOptions(features: "features/logmel", labels: .hardLabels, batchSize: 4, seed: 5, rank: rank, world: 2)
            let batches = try run(StreamTable(manifest: url, options: options), epochs: 2)
            XCTAssertEqual(batches.count, 4)
            for batch in batches {
                XCTAssertEqual(batch.shape, [4] + StreamFixture.featureShape)
                XCTAssertEqual(batch.columnShapes, ["targets/doa": [4, 3]])
                for (k, row) in batch.rows.enumerated() {
                    let seed = WaveformRow.seed(5, epoch: batch.epoch, batch: batch.index, rank: rank, position: k)
                    let expected = Stand.expected(Self.waveform(row), Self.doa(row), seed: seed)
                    XCTAssertEqual(Array(batch.features[(k * 12)..<((k + 1) * 12)]), expected.features, "row \(row)")
                    XCTAssertEqual(Array(batch.columns["targets/doa"]![(k * 3)..<((k + 1) * 3)]), expected.doa, "row \(row)")
                    XCTAssertEqual(batch.labels?[k], StreamFixture.label(row), "labels still read")
                }
            }
        }
    }

    func testFreshEachEpochSameOnAnyThreadCountAndOnResume() throws {
        let url = try makeStore()
        var options = StreamOptions(features: "features/logmel", labels: .none, batchSize: 4, shuffle: false, seed: 9)
        let one = try run(StreamTable(manifest: url, options: options), epochs: 3)
        options.readers = 2
        options.prefetch = 2
        let table = try StreamTable(manifest: url, options: options)
        let two = try run(table, epochs: 3)
        XCTAssertEqual(one, two, "reader threads do not change the draws")
        XCTAssertEqual(one[0].rows, one[4].rows, "no shuffle: the same rows each epoch")
        XCTAssertNotEqual(one[0].features, one[4].features, "fresh draws each epoch")
        XCTAssertEqual(try run(table, epochs: 3, from: StreamPosition(epoch: 1, batch: 2, seed: 9)), Array(one.dropFirst(6)))
    }

    func testATableWithoutTheWaveformColumnIsRefusedBeforeReading() throws {
        let url = try StreamFixture.makeStore(in: StreamFixture.temporaryDirectory(for: self))
        let table = try StreamTable(manifest: url, options: StreamOptions(features: "features/logmel", batchSize: 4))
        XCTAssertThrowsError(try BatchStream(table: table, epochs: 1, waveform: Stand())) { error in
            XCTAssertTrue("\(error)".contains("'audio/waveform'"), "\(error)")
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
    }
}
