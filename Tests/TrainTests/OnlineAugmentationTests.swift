import Augment
import Foundation
import Randomness
import Stream
@testable import Train
import XCTest

/// Online augmentation through the stream: fresh each epoch, the same on any thread count, equal to
/// Augment's own functions with the stream's generator, and training still learns with mixup on.
final class OnlineAugmentationTests: XCTestCase {
    private static let every = OnlineAugmentation(mixupAlpha: 0.3, freqMixStyleAlpha: 0.3, freqMixStyleP: 0.7,
                                                  freqMask: 3, timeMask: 5, freqShift: 3)

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("OnlineAugmentationTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func batches(_ store: URL, readers: Int, shuffle: Bool = true, epochs: Int = 2,
                         augmentation: OnlineAugmentation = every) throws -> [StreamBatch] {
        let options = StreamOptions(features: "features/logmel", filter: RowFilter(splits: ["train"], labeled: true),
                                    batchSize: 16, shuffle: shuffle, seed: 11, readers: readers)
        let stream = try BatchStream(table: StreamTable(manifest: store, options: options), epochs: epochs,
                                     transforms: augmentation.transforms(classes: 3))
        var out: [StreamBatch] = []
        while let b = try stream.next() { out.append(b) }
        return out
    }

    func testSameSeedSameBatchesOnAnyThreadCountAndFreshEachEpoch() throws {
        let store = try TrainTests.separableStore(in: try temporaryDirectory())
        let first = try batches(store, readers: 1)
        XCTAssertEqual(first.count, 24)
        XCTAssertEqual(try batches(store, readers: 1), first, "same seed, same batches")
        XCTAssertEqual(try batches(store, readers: 2), first, "1 or 2 reader threads, same batches")
        for b in first {
            XCTAssertEqual(b.targetWidth, 3)
            let targets = try XCTUnwrap(b.targets)
            for r in 0..<b.count {
                let sum: Float = targets[(r * 3)..<(r * 3 + 3)].reduce(0, +)
                XCTAssertEqual(Double(sum), 1, accuracy: 1e-5)
            }
            XCTAssertTrue(targets.contains { $0 > 0 && $0 < 1 }, "mixup made soft targets")
        }
        // Unshuffled, epoch 0 and epoch 1 hold the same rows: only the augmentation's draws differ.
        let plain = try batches(store, readers: 1, shuffle: false)
        XCTAssertEqual(plain[0].rows, plain[12].rows)
        XCTAssertNotEqual(plain[0].features, plain[12].features, "a different epoch draws differently")
        XCTAssertNotEqual(plain[0].targets, plain[12].targets)
        let raw = try batches(store, readers: 1, shuffle: false, augmentation: OnlineAugmentation())
        XCTAssertNil(raw[0].targets)
        XCTAssertNotEqual(raw[0].features, plain[0].features, "the augmentations changed the features")
    }

    func testTheMixedBatchEqualsAugmentsMixupWithTheStreamsGenerator() throws {
        let store = try TrainTests.separableStore(in: try temporaryDirectory())
        let raw = try batches(store, readers: 1, shuffle: false, epochs: 1, augmentation: OnlineAugmentation())
        let mixed = try batches(store, readers: 1, shuffle: false, epochs: 1, augmentation: OnlineAugmentation(mixupAlpha: 0.4))
        for index in [0, 5] {
            // The stream's key for (seed 11, epoch 0, batch, rank 0, transform 0), then Augment by hand.
            var generator = SplitMix64(seed: 11, key: "augment#0#\(index)#0#0")
            var random = AugmentRandom(seed: generator.next())
            var values = try Augment.Batch(shape: raw[index].shape, values: raw[index].features)
            var targets = try Mixup.softTargets(labels: try XCTUnwrap(raw[index].labels).map(Int.init), classes: 3)
            let draw = try Mixup(parameters: .init(alpha: 0.4)).apply(to: &values, targets: &targets, random: &random)
            XCTAssertTrue(draw.lambdas.contains { $0 < 1 })
            XCTAssertEqual(mixed[index].features, values.values)
            XCTAssertEqual(mixed[index].targets, targets)
            XCTAssertEqual(mixed[index].labels, raw[index].labels, "hard labels stay as read")
        }
    }

    func testTrainingWithMixupLearnsAndRecordsIt() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root)
        let augmentation = OnlineAugmentation(mixupAlpha: 0.3, freqMask: 2)
        let options = TrainOptions(epochs: 15, batchSize: 16, hidden: 16, learningRate: 0.01, seed: 3, augmentation: augmentation)
        var reports: [Trainer.EpochReport] = []
        let model = try Trainer.train(manifest: store, options: options) { reports.append($0) }
        let valid = try XCTUnwrap(reports.last?.validAccuracy)
        print("mixup training: valid accuracy \(valid)")
        XCTAssertGreaterThan(valid, 0.8, "far above chance (1/3) with mixup on")
        let file = root.appendingPathComponent("model.json")
        try model.write(to: file)
        XCTAssertEqual(try TrainedModel.load(from: file).options.augmentation, augmentation, "recorded in the model file")
        let plain = try Trainer.train(manifest: store, options: TrainOptions(epochs: 15, batchSize: 16, hidden: 16,
                                                                             learningRate: 0.01, seed: 3))
        XCTAssertNotEqual(plain.network.weights, model.network.weights, "the augmentation reached the trainer")

        // Resuming: same augmentation → the uninterrupted run's model; another one is refused.
        var checkpoints: [TrainedModel] = []
        _ = try Trainer.train(manifest: store, options: options, epochEnd: { checkpoints.append($0) })
        let resumed = try Trainer.train(manifest: store, options: options, resuming: checkpoints[6])
        XCTAssertEqual(resumed, model, "a resumed mixup run equals the uninterrupted one")
        var other = options
        other.augmentation?.mixupAlpha = 0.5
        XCTAssertThrowsError(try Trainer.train(manifest: store, options: other, resuming: checkpoints[6])) {
            XCTAssertTrue("\($0)".contains("other options"), "\($0)")
        }
    }

    func testBadValuesAreRefusedBeforeTraining() throws {
        let store = try TrainTests.separableStore(in: try temporaryDirectory())
        for (augmentation, message) in [
            (OnlineAugmentation(mixupAlpha: 0), "mixup alpha 0.0 must be > 0"),
            (OnlineAugmentation(freqMixStyleAlpha: 0.3, freqMixStyleP: 1.5), "p 1.5 is not a probability"),
            (OnlineAugmentation(freqMask: 9), "frequency mask 9 is wider than the 8 bins"),
            (OnlineAugmentation(timeMask: 0), "time mask 0 must be at least 1"),
            (OnlineAugmentation(freqShift: 1), "frequency shift range 1 must be at least 2"),
        ] {
            var reported = false
            XCTAssertThrowsError(try Trainer.train(manifest: store, options: TrainOptions(epochs: 1, augmentation: augmentation),
                                                   progress: { _ in reported = true })) {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
            XCTAssertFalse(reported, "no epoch ran")
        }
    }
}
