import Foundation
import Randomness
import Store
import Stream
import XCTest

final class StreamTests: XCTestCase {
    private func store() throws -> URL {
        try StreamFixture.makeStore(in: StreamFixture.temporaryDirectory(for: self))
    }

    private func allBatches(_ url: URL, _ options: StreamOptions, epochs: Int = 1,
                            from position: StreamPosition? = nil) throws -> [Batch] {
        let stream = try BatchStream(table: StreamTable(manifest: url, options: options), epochs: epochs, from: position)
        var batches: [Batch] = []
        while let batch = try stream.next() { batches.append(batch) }
        return batches
    }

    /// Every row's features, labels, ids and targets land at its place in the batch.
    private func assertContent(_ batch: Batch, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(batch.shape, [batch.count] + StreamFixture.featureShape, file: file, line: line)
        for (k, row) in batch.rows.enumerated() {
            XCTAssertEqual(Array(batch.features[(k * 12)..<((k + 1) * 12)]), StreamFixture.features(row), "row \(row)", file: file, line: line)
            XCTAssertEqual(batch.ids[k], "clip-\(row)", file: file, line: line)
            if let labels = batch.labels { XCTAssertEqual(labels[k], StreamFixture.label(row), file: file, line: line) }
            if let targets = batch.targets {
                XCTAssertEqual(Array(targets[(k * 3)..<((k + 1) * 3)]), StreamFixture.teacher(row), file: file, line: line)
            }
        }
    }

    func testSameSeedSameBatchesAndEveryRowOnce() throws {
        let url = try store()
        var options = StreamOptions(features: "features/logmel", labels: .both("teacher"), batchSize: 8,
                                    dropLast: false, seed: 11, shuffleBuffer: 16)
        let first = try allBatches(url, options, epochs: 2)
        options.readers = 2
        options.prefetch = 3
        let second = try allBatches(url, options, epochs: 2)
        XCTAssertEqual(first, second, "reader threads and queue depth do not change the batches")
        let epoch0 = first.filter { $0.epoch == 0 }.flatMap(\.rows)
        let epoch1 = first.filter { $0.epoch == 1 }.flatMap(\.rows)
        XCTAssertEqual(epoch0.sorted(), Array(0..<80), "every row once per epoch")
        XCTAssertEqual(epoch1.sorted(), Array(0..<80))
        XCTAssertNotEqual(epoch0, Array(0..<80), "shuffled")
        XCTAssertNotEqual(epoch0, epoch1, "a new order each epoch")
        XCTAssertEqual(first.filter { $0.epoch == 0 }.map(\.count), [8, 8, 8, 8, 8, 8, 8, 8, 8, 8])
        first.forEach { assertContent($0) }
        options.seed = 12
        XCTAssertNotEqual(try allBatches(url, options).flatMap(\.rows), epoch0, "another seed, another order")
        options.shuffle = false
        XCTAssertEqual(try allBatches(url, options).flatMap(\.rows), Array(0..<80), "no shuffle: store order")
    }

    func testShuffleBufferBoundsHowFarARowMoves() throws {
        // Buffer of 4 rows, one shard: a row can leave the buffer no earlier than 3 places before
        // its position, so the permutation stays local; shard order is the other level.
        let url = try StreamFixture.makeStore(in: StreamFixture.temporaryDirectory(for: self), shardRows: [40])
        let options = StreamOptions(features: "features/logmel", labels: .none, batchSize: 40, seed: 3, shuffleBuffer: 4)
        let order = try allBatches(url, options)[0].rows
        for (position, row) in order.enumerated() { XCTAssertGreaterThanOrEqual(position + 3, row, "row \(row) at \(position)") }
        XCTAssertNotEqual(order, Array(0..<40))
    }

    func testDropLastAndKeepLast() throws {
        let url = try store()
        var options = StreamOptions(features: "features/logmel", batchSize: 32, seed: 1)
        XCTAssertEqual(try allBatches(url, options).map(\.count), [32, 32])
        options.dropLast = false
        XCTAssertEqual(try allBatches(url, options).map(\.count), [32, 32, 16])
    }

    func testFiltersKeepExactlyTheMatchingRows() throws {
        let url = try store()
        let cases: [(RowFilter, (Int) -> Bool)] = [
            (RowFilter(splits: ["train"]), { StreamFixture.split($0) == "train" }),
            (RowFilter(labeled: true), { StreamFixture.label($0) >= 0 }),
            (RowFilter(labeled: false), { StreamFixture.label($0) < 0 }),
            (RowFilter(variants: [1]), { StreamFixture.variant($0) == 1 }),
            (RowFilter(classes: ["b", "c"]), { [1, 2].contains(StreamFixture.label($0)) }),
            (RowFilter(corpora: ["corpus-b"]), { StreamFixture.source($0) == "corpus-b" }),
            (RowFilter(splits: ["validation"], labeled: true, variants: [0]), {
                StreamFixture.split($0) == "validation" && StreamFixture.label($0) >= 0 && StreamFixture.variant($0) == 0 }),
        ]
        for (filter, keep) in cases {
            let options = StreamOptions(features: "features/logmel", filter: filter, batchSize: 1, seed: 5)
            let batches = try allBatches(url, options)
            XCTAssertEqual(batches.flatMap(\.rows).sorted(), (0..<80).filter(keep), "\(filter)")
            batches.forEach { assertContent($0) }
        }
        let none = StreamOptions(features: "features/logmel", filter: RowFilter(corpora: ["nowhere"]), batchSize: 1)
        XCTAssertThrowsError(try StreamTable(manifest: url, options: none)) { XCTAssertTrue("\($0)".contains("keeps 0 rows"), "\($0)") }
        let unknownClass = StreamOptions(features: "features/logmel", filter: RowFilter(classes: ["zebra"]), batchSize: 1)
        XCTAssertThrowsError(try StreamTable(manifest: url, options: unknownClass)) { XCTAssertTrue("\($0)".contains("no class 'zebra'"), "\($0)") }
    }

    func testBadOptionsAndColumnsAreRefusedBeforeReading() throws {
        let url = try store()
        let cases: [(StreamOptions, String)] = [
            (StreamOptions(features: "features/mfcc", batchSize: 4), "no column 'features/mfcc'"),
            (StreamOptions(features: "features/logmel", labels: .soft("nobody"), batchSize: 4), "no column 'targets/nobody'"),
            (StreamOptions(features: "features/logmel", batchSize: 81), "fewer than one batch of 81"),
            (StreamOptions(features: "features/logmel", batchSize: 0), "batch size 0"),
            (StreamOptions(features: "features/logmel", batchSize: 4, rank: 2, world: 2), "rank 2 must be in 0..<2"),
            (StreamOptions(features: "meta/label", batchSize: 4), "must be under features/"),
        ]
        for (options, message) in cases {
            XCTAssertThrowsError(try StreamTable(manifest: url, options: options)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }

    func testPartitionIsDisjointWithEqualBatchCounts() throws {
        let url = try store()
        for dropLast in [true, false] {
            var perRank: [[Batch]] = []
            for rank in 0..<3 {
                let options = StreamOptions(features: "features/logmel", batchSize: 5, dropLast: dropLast, seed: 9,
                                            shuffleBuffer: 8, rank: rank, world: 3)
                perRank.append(try allBatches(url, options, epochs: 2))
            }
            for epoch in 0..<2 {
                let rows = perRank.map { $0.filter { $0.epoch == epoch }.flatMap(\.rows) }
                XCTAssertEqual(Set(rows.map { $0.count }).count, 1, "equal rows per rank")
                XCTAssertEqual(Set(perRank.map { $0.filter { $0.epoch == epoch }.count }).count, 1, "equal batches per rank")
                let all = rows.flatMap { $0 }
                XCTAssertEqual(Set(all).count, all.count, "disjoint across ranks")
                // 80 rows, 3 ranks: 26 each, 25 when whole batches of 5 are required.
                XCTAssertEqual(rows[0].count, dropLast ? 25 : 26)
            }
            let dropped = (0..<2).map { epoch in Set(0..<80).subtracting(perRank.flatMap { $0.filter { $0.epoch == epoch }.flatMap(\.rows) }) }
            XCTAssertNotEqual(dropped[0], dropped[1], "a different few rows dropped each epoch")
        }
    }

    func testResumeYieldsTheSameRemainingBatches() throws {
        let url = try store()
        let options = StreamOptions(features: "features/logmel", labels: .both("teacher"), batchSize: 6, seed: 21,
                                    shuffleBuffer: 10, readers: 2)
        let full = try allBatches(url, options, epochs: 3)
        let table = try StreamTable(manifest: url, options: options)
        let stream = try BatchStream(table: table, epochs: 3)
        for _ in 0..<17 { _ = try stream.next() }
        let saved = try JSONDecoder().decode(StreamPosition.self, from: JSONEncoder().encode(stream.position))
        XCTAssertEqual(saved, StreamPosition(epoch: 1, batch: 4, seed: 21))
        let resumed = try allBatches(url, options, epochs: 3, from: saved)
        XCTAssertEqual(resumed, Array(full.dropFirst(17)))
        var other = options
        other.seed = 22
        XCTAssertThrowsError(try BatchStream(table: StreamTable(manifest: url, options: other), epochs: 3, from: saved)) {
            XCTAssertTrue("\($0)".contains("seed 21"), "\($0)")
        }
        XCTAssertThrowsError(try BatchStream(table: table, epochs: 3, from: StreamPosition(epoch: 0, batch: 14, seed: 21)))
    }

    func testPrefetchQueueStaysWithinItsDepth() throws {
        let url = try store()
        let options = StreamOptions(features: "features/logmel", batchSize: 2, seed: 2, prefetch: 3, readers: 2)
        let stream = try BatchStream(table: StreamTable(manifest: url, options: options), epochs: 1)
        var count = 0
        while let _ = try stream.next() {
            count += 1
            if count < 4 { Thread.sleep(forTimeInterval: 0.05) } // a slow trainer: readers run ahead and must stop
            XCTAssertLessThanOrEqual(stream.peakQueued, 3)
        }
        XCTAssertEqual(count, 40)
        XCTAssertEqual(stream.peakQueued, 3, "the readers filled the queue to its depth and no further")
    }

    func testProjectionOpensOnlyTheFilesOfTheColumnsAsked() throws {
        let url = try store()
        let parent = try StoreReader(manifest: url)
        let viewURL = url.deletingLastPathComponent().appendingPathComponent("views/teacher")
        let kept = Array(stride(from: 1, to: 80, by: 3))
        let writer = try ViewWriter(parent: parent, directory: viewURL, stage: "teacher", configHash: "t-1", rows: kept,
                                    columns: [ColumnSpec(name: "targets/soft", dtype: .float32, rowShape: [2])])
        for row in kept { try writer.append(["targets/soft": .float32([Float(row), 1])]) }
        _ = try writer.commit()
        // The view's column files hold only targets/soft: remove them, and a features-only stream
        // never notices, while one asking for the targets fails naming the file.
        let files = try FileManager.default.contentsOfDirectory(atPath: viewURL.appendingPathComponent("columns").path)
        let options = StreamOptions(features: "features/logmel", batchSize: 3, seed: 4)
        let before = try allBatches(viewURL, options)
        XCTAssertEqual(before.flatMap(\.rows).count, 27)
        before.forEach { batch in
            for (k, row) in batch.rows.enumerated() {
                XCTAssertEqual(Array(batch.features[(k * 12)..<((k + 1) * 12)]), StreamFixture.features(kept[row]))
            }
        }
        var soft = options
        soft.labels = .soft("soft")
        let withTargets = try allBatches(viewURL, soft)
        for batch in withTargets {
            XCTAssertEqual(batch.targets, batch.rows.flatMap { [Float(kept[$0]), 1] })
        }
        for file in files where file.hasSuffix(".h5") {
            try FileManager.default.removeItem(at: viewURL.appendingPathComponent("columns/\(file)"))
        }
        XCTAssertEqual(try allBatches(viewURL, options), before)
        XCTAssertThrowsError(try allBatches(viewURL, soft)) { XCTAssertTrue("\($0)".contains("missing file"), "\($0)") }
    }

    func testAlteredOrMissingShardIsAnErrorNeverZeros() throws {
        let url = try store()
        let shard = url.appendingPathComponent("shards/part-00002.h5")
        let options = StreamOptions(features: "features/logmel", batchSize: 10, seed: 1)
        // A stream opened before the damage meets it at the first batch that reads the shard.
        let stream = try BatchStream(table: StreamTable(manifest: url, options: options), epochs: 1)
        var bytes = try Data(contentsOf: shard)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: shard)
        XCTAssertThrowsError(try allBatches(url, options)) { XCTAssertTrue("\($0)".contains("checksum mismatch for \(shard.path)"), "\($0)") }
        // The failure is sticky: the stream never skips the bad batch and carries on.
        var failed = false
        while !failed {
            do { if try stream.next() == nil { break } } catch { failed = true }
        }
        XCTAssertTrue(failed)
        let stuck = stream.position
        XCTAssertThrowsError(try stream.next())
        XCTAssertEqual(stream.position, stuck)
        try FileManager.default.removeItem(at: shard)
        XCTAssertThrowsError(try allBatches(url, options)) { XCTAssertEqual($0 as? StoreError, .missingFile(path: shard.path)) }
    }

    func testBalancedSamplingEvensOutClasses() throws {
        let url = try store()
        // Weights 1 : 3 : 0 per class; the store holds a, b, c about equally.
        let options = StreamOptions(features: "features/logmel", filter: RowFilter(labeled: true), batchSize: 1,
                                    seed: 8, sampling: .weighted(["a": 1, "b": 3, "c": 0]))
        let labels = try allBatches(url, options, epochs: 20).compactMap { $0.labels?.first }
        let a = labels.filter { $0 == 0 }.count
        let b = labels.filter { $0 == 1 }.count
        XCTAssertEqual(labels.filter { $0 == 2 }.count, 0, "weight 0 is never drawn")
        XCTAssertEqual(Double(b) / Double(a + b), 0.75, accuracy: 0.05)
        let balanced = StreamOptions(features: "features/logmel", filter: RowFilter(variants: [0], classes: ["a", "b"]),
                                     batchSize: 1, seed: 8, sampling: .balanced)
        let drawn = try allBatches(url, balanced, epochs: 30).compactMap { $0.labels?.first }
        XCTAssertEqual(Double(drawn.filter { $0 == 0 }.count) / Double(drawn.count), 0.5, accuracy: 0.05)
    }

    func testTransformsDrawFreshEachEpochAndTheSameOnResume() throws {
        struct AddNoise: BatchTransform {
            let name = "noise"
            func apply(to batch: inout Batch, generator: inout SplitMix64) throws {
                let offset = Float(generator.nextUnit())
                for k in batch.features.indices { batch.features[k] += offset }
            }
        }
        let url = try StreamFixture.makeStore(in: StreamFixture.temporaryDirectory(for: self), shardRows: [8])
        let options = StreamOptions(features: "features/logmel", labels: .none, batchSize: 8, shuffle: false, seed: 3, readers: 2)
        let table = try StreamTable(manifest: url, options: options)
        func run(from position: StreamPosition? = nil) throws -> [Batch] {
            let stream = try BatchStream(table: table, epochs: 3, from: position, transforms: [AddNoise()])
            var out: [Batch] = []
            while let batch = try stream.next() { out.append(batch) }
            return out
        }
        let full = try run()
        XCTAssertEqual(full.count, 3)
        XCTAssertNotEqual(full[0].features, full[1].features, "fresh draws each epoch")
        XCTAssertNotEqual(full[0].features, StreamFixture.features(0) + (1..<8).flatMap(StreamFixture.features))
        XCTAssertEqual(try run(from: StreamPosition(epoch: 1, batch: 0, seed: 3)), Array(full.dropFirst()))
    }
}
