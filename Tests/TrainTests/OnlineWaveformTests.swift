import AudioIO
import Augment
import Foundation
import Pipeline
import Randomness
import Store
import Stream
import TestSupport
@testable import Train
import XCTest

/// Online DIR/ADIR and FOA swaps on a store's `/audio/waveform`, followed by the store's own
/// features: each streamed row equals the features computed by hand from the stored waveform with
/// the draws of its (seed, epoch, batch, rank, position), and a swapped SELD row's DOA targets follow.
final class OnlineWaveformTests: XCTestCase {
    static let monoYAML = """
    name: wave-test
    audio: {sample_rate: 16000, channels: mono, duration: 1.0}
    features:
      - {name: logmel8, kind: logmel, n_fft: 256, hop_length: 128, n_mels: 8}
      - {name: logmel16, kind: logmel, n_fft: 512, hop_length: 256, n_mels: 16}
    output: {shard_rows: 8, seed: 0, waveform: float32}
    """

    static let foaYAML = """
    name: foa-test
    audio: {sample_rate: 24000, channels: keep, expect_channels: [4], duration: 0.5}
    features:
      - {name: foa7, kind: foa, n_fft: 512, win_length: 512, hop_length: 300, n_mels: 16}
    output: {shard_rows: 8, seed: 0, waveform: float32}
    """

    /// Rows of `channels` × N noise (every third quiet) with their features computed from the
    /// stored waveform, devices a/b alternating, split train; SELD rows add DOA targets.
    static func makeStore(in root: URL, yaml: String, rows: Int, seld: Bool = false) throws -> (URL, PipelineConfig) {
        let config = try PipelineConfig.load(yaml: yaml, source: "test")
        let n = config.audio.targetLength!
        let channels = seld ? 4 : 1
        let extractors = config.features.map { $0.makeExtractor() }
        let shapes = try extractors.map { try $0.makeWorker().extract(Array(repeating: [Float](repeating: 0, count: n), count: channels)).shape }
        var schema = zip(config.features, shapes).map { ColumnSpec(name: "features/\($0.name)", dtype: .float32, rowShape: $1) }
        schema += [ColumnSpec(name: "audio/waveform", dtype: .float32, rowShape: [channels, n]),
                   ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32),
                   ColumnSpec(name: "meta/split", dtype: .string), ColumnSpec(name: "meta/device", dtype: .string)]
        if seld {
            schema += [ColumnSpec(name: "targets/activity", dtype: .float32, rowShape: [5, 2]),
                       ColumnSpec(name: "targets/doa", dtype: .float32, rowShape: [5, 3, 2, 3])]
        }
        let store = root.appendingPathComponent("store")
        let writer = try ShardWriter(directory: store.appendingPathComponent("shards"), name: "part-00000", schema: schema, rowCount: rows)
        for i in 0..<rows {
            let gain: Float = i % 3 == 2 ? 0.001 : 0.5
            let wave = (0..<channels).map { c in TestSignals.noise(n, seed: UInt64(i * 8 + c + 1)).map { $0 * gain } }
            var row: ShardRow = ["audio/waveform": .float32(wave.flatMap { $0 }), "meta/id": .string("clip-\(i)"),
                                 "meta/label": .int32(Int32(i % 2)), "meta/split": .string("train"),
                                 "meta/device": .string(i % 2 == 0 ? "a" : "b")]
            for (spec, extractor) in zip(config.features, extractors) {
                row["features/\(spec.name)"] = .float32(try extractor.makeWorker().extract(wave).values)
            }
            if seld {
                row["targets/activity"] = .float32((0..<10).map { Float(($0 + i) % 2) })
                row["targets/doa"] = .float32((0..<90).map { Float(($0 * 7 + i) % 11) / 10 - 0.5 })
            }
            try writer.write(row: row, at: i)
        }
        let info = try writer.commit().inFolder("shards")
        try Manifest(pipeline: config.name, configHash: "wave", createdBy: "OnlineWaveformTests", parameters: JSONValue(encoding: config),
                     columns: schema, classes: ["x", "y"], shards: [info], rowCount: rows).write(to: store)
        return (store, config)
    }

    /// Three short decaying responses as WAV files.
    static func makeBank(in root: URL, rate: Int) throws -> URL {
        let folder = root.appendingPathComponent("bank")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for k in 0..<3 {
            let samples = TestSignals.noise(300 + 50 * k, seed: UInt64(100 + k)).enumerated().map { $1 * Float(exp(-Double($0) / 60)) }
            try AudioFileWriter.write(AudioBuffer(sampleRate: rate, channels: [samples]), to: folder.appendingPathComponent("ir-\(k).wav"), format: .float32)
        }
        return folder
    }

    private func stream(_ store: URL, feature: String, augmentation: OnlineWaveformAugmentation, readers: Int = 1, epochs: Int = 2,
                        labels: LabelSource = .hardLabels) throws -> [StreamBatch] {
        let reader = try StoreReader(manifest: store)
        let options = StreamOptions(features: feature, labels: labels, batchSize: 4, seed: 3, readers: readers)
        let waveform = try OnlineWaveformFeatures(reader: reader, feature: feature, augmentation: augmentation)
        let stream = try BatchStream(table: StreamTable(reader: reader, options: options), epochs: epochs, waveform: waveform)
        var out: [StreamBatch] = []
        while let batch = try stream.next() { out.append(batch) }
        return out
    }

    func testOnlineADIRBatchEqualsTheConvolvedStoredWaveformsFeatures() throws {
        let root = try TemporaryFolder.forTest(self)
        let (store, config) = try Self.makeStore(in: root, yaml: Self.monoYAML, rows: 12)
        let bankFolder = try Self.makeBank(in: root, rate: 16000)
        let settings = OnlineWaveformAugmentation(bank: bankFolder.path, dirProb: 1, adirThreshold: 1, devices: ["a"])
        let batches = try stream(store, feature: "features/logmel16", augmentation: settings)
        let bank = try AugmentedFeatures.impulseResponseBank(folder: bankFolder, config: config)
        XCTAssertEqual(bank.count, 3)
        let reader = try StoreReader(manifest: store)
        let worker = config.features[1].makeExtractor().makeWorker()
        var convolved = 0
        var indices: [Int: Set<Int>] = [:]
        for batch in batches {
            let width = batch.features.count / batch.count
            for (k, row) in batch.rows.enumerated() {
                let stored = try reader.readRow(row)
                var channels = [try XCTUnwrap(stored.floats("audio/waveform"))]
                let energy = AdaptiveDeviceImpulseResponse.Energy.sumOfSquares.of(channels)
                var random = AugmentRandom(seed: WaveformRow.seed(3, epoch: batch.epoch, batch: batch.index, rank: 0, position: k))
                    .substream("0:adir")
                let u = random.uniform()
                let index = random.integer(below: bank.count)
                let applies = row % 2 == 0 && u < 1 && energy > 1
                if applies {
                    bank.convolve(&channels, with: index)
                    convolved += 1
                    indices[row, default: []].insert(index)
                }
                let expected = try worker.extract(channels).values
                XCTAssertEqual(Array(batch.features[(k * width)..<((k + 1) * width)]), expected, "row \(row) epoch \(batch.epoch)")
                if !applies {
                    XCTAssertEqual(expected, stored.floats("features/logmel16"), "a row left alone is its stored row")
                }
            }
        }
        XCTAssertEqual(convolved, 8, "the 4 loud device-a rows, both epochs; quiet and device-b rows are left alone")
        XCTAssertTrue(indices.values.contains { $0.count > 1 }, "a row draws another response in another epoch: \(indices)")
        XCTAssertEqual(try stream(store, feature: "features/logmel16", augmentation: settings, readers: 2), batches,
                       "the same batches with 2 reader threads")
    }

    func testSwappedSELDBatchRotatesItsDOATargetsWithTheChannels() throws {
        let root = try TemporaryFolder.forTest(self)
        let (store, config) = try Self.makeStore(in: root, yaml: Self.foaYAML, rows: 8, seld: true)
        let settings = OnlineWaveformAugmentation(foaSwapProb: 1)
        let batches = try stream(store, feature: "features/foa7", augmentation: settings, epochs: 3)
        let reader = try StoreReader(manifest: store)
        let worker = config.features[0].makeExtractor().makeWorker()
        var numbers = Set<Int>()
        for batch in batches {
            XCTAssertEqual(batch.columnShapes["targets/doa"], [4, 5, 3, 2, 3])
            let width = batch.features.count / batch.count
            for (k, row) in batch.rows.enumerated() {
                let stored = try reader.readRow(row)
                let wave = try XCTUnwrap(stored.floats("audio/waveform"))
                var channels = (0..<4).map { Array(wave[($0 * 12000)..<(($0 + 1) * 12000)]) }
                var random = AugmentRandom(seed: WaveformRow.seed(3, epoch: batch.epoch, batch: batch.index, rank: 0, position: k))
                    .substream("0:channel_swap")
                _ = random.uniform()
                let transform = FOATransform(Array(0..<16)[random.integer(below: 16)])
                numbers.insert(transform.number)
                transform.apply(foa: &channels)
                XCTAssertEqual(Array(batch.features[(k * width)..<((k + 1) * width)]), try worker.extract(channels).values, "row \(row)")
                let doa = try XCTUnwrap(stored.floats("targets/doa"))
                var expected: [Float] = []
                for v in stride(from: 0, to: doa.count, by: 3) {
                    let r = transform.apply(x: Double(doa[v]), y: Double(doa[v + 1]), z: Double(doa[v + 2]))
                    expected += [Float(r.x), Float(r.y), Float(r.z)]
                }
                XCTAssertEqual(Array(batch.columns["targets/doa"]![(k * 90)..<((k + 1) * 90)]), expected, "row \(row) transform \(transform.number)")
            }
        }
        XCTAssertGreaterThan(numbers.subtracting([0]).count, 3, "several transforms drawn: \(numbers)")
    }

    func testBadWaveformSettingsAreRefusedBeforeTraining() throws {
        let root = try TemporaryFolder.forTest(self)
        XCTAssertThrowsError(try OnlineWaveformAugmentation.parse(bank: nil, dirProb: 0.5, adirThreshold: nil, devices: nil, foaSwap: nil)) {
            XCTAssertTrue("\($0)".contains("--dir-prob needs --dir"), "\($0)")
        }
        XCTAssertThrowsError(try OnlineWaveformAugmentation.parse(bank: root.appendingPathComponent("none").path, dirProb: nil, adirThreshold: nil,
                                                            devices: nil, foaSwap: nil)) { XCTAssertTrue("\($0)".contains("not a folder"), "\($0)") }
        XCTAssertThrowsError(try OnlineWaveformAugmentation.parse(bank: root.path, dirProb: 1.5, adirThreshold: nil, devices: nil, foaSwap: nil)) {
            XCTAssertTrue("\($0)".contains("1.5"), "\($0)")
        }
        XCTAssertNil(try OnlineWaveformAugmentation.parse(bank: nil, dirProb: nil, adirThreshold: nil, devices: nil, foaSwap: nil))
        XCTAssertEqual(try OnlineWaveformAugmentation.parse(bank: root.path, dirProb: nil, adirThreshold: nil, devices: "all", foaSwap: nil)?.devices, nil)
        // A mono store cannot take a channel swap; a store without waveforms cannot take anything.
        let (store, _) = try Self.makeStore(in: root, yaml: Self.monoYAML, rows: 4)
        XCTAssertThrowsError(try OnlineWaveformFeatures(reader: StoreReader(manifest: store), feature: "features/logmel16",
                                                        augmentation: OnlineWaveformAugmentation(foaSwapProb: 0.5))) {
            XCTAssertTrue("\($0)".contains("channel_swap needs an FOA pipeline"), "\($0)")
        }
        XCTAssertThrowsError(try OnlineWaveformFeatures(reader: StoreReader(manifest: store), feature: "features/mfcc",
                                                        augmentation: OnlineWaveformAugmentation(foaSwapProb: 0.5))) {
            XCTAssertTrue("\($0)".contains("no feature 'mfcc'"), "\($0)")
        }
        let plain = try TrainTests.separableStore(in: root.appendingPathComponent("plain"))
        XCTAssertThrowsError(try OnlineWaveformFeatures(reader: StoreReader(manifest: plain), feature: "features/logmel",
                                                        augmentation: OnlineWaveformAugmentation(foaSwapProb: 0.5))) {
            XCTAssertTrue("\($0)".contains("'audio/waveform'"), "\($0)")
        }
    }

    /// The trainer runs DIR online: the same options give the same model, a resumed run the
    /// uninterrupted run's, and without DIR another model.
    func testTrainingWithOnlineDIRIsDeterministic() throws {
        let root = try TemporaryFolder.forTest(self)
        let (store, _) = try Self.makeStore(in: root, yaml: Self.monoYAML, rows: 12)
        let bank = try Self.makeBank(in: root, rate: 16000)
        var options = TrainOptions(features: "features/logmel16", epochs: 2, batchSize: 4, hidden: 8, learningRate: 0.01, weightDecay: 0,
                                   optimizer: .adam, seed: 1, trainSplit: "train", validSplit: nil, readers: 2,
                                   augmentation: OnlineAugmentation(waveform: OnlineWaveformAugmentation(bank: bank.path, dirProb: 1, devices: nil)))
        var checkpoints: [TrainedModel] = []
        let first = try Trainer.train(manifest: store, options: options, epochEnd: { checkpoints.append($0) })
        XCTAssertEqual(try Trainer.train(manifest: store, options: options).network, first.network)
        // A run resumed after epoch 1 draws epoch 2's responses afresh, as the uninterrupted run did.
        XCTAssertEqual(try Trainer.train(manifest: store, options: options, resuming: checkpoints[0]), first)
        var other = options
        other.augmentation?.waveform?.dirProb = 0.5
        XCTAssertThrowsError(try Trainer.train(manifest: store, options: other, resuming: checkpoints[0])) {
            XCTAssertTrue("\($0)".contains("other options"), "\($0)")
        }
        options.augmentation = nil
        XCTAssertNotEqual(try Trainer.train(manifest: store, options: options).network, first.network, "DIR changed what was learned")
    }
}
