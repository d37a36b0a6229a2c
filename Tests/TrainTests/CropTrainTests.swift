import Foundation
import Labels
import Randomness
import Store
import TestSupport
@testable import Train
import XCTest

/// The CNN on whole recordings (a variable-length column, `audio.length: keep`) through `pipe`:
/// random crops for training, sliding windows averaged into one prediction per recording, the
/// crop recorded in the checkpoint so that resume and predict cut the same windows.
final class CropTrainTests: XCTestCase {
    static let classes = ["park", "metro", "street"]

    /// Recording `i` has 20 + (7·i mod 41) frames of [1, T, 8]; class i mod 3 is loud in bins
    /// 2·class and 2·class + 1. Every fifth recording is validation.
    static func frames(_ i: Int) -> Int { 20 + (7 * i) % 41 }

    static func wholeRecordingStore(in root: URL, rows: Int = 120) throws -> URL {
        let store = root.appendingPathComponent("store")
        let schema = [
            ColumnSpec.variableLength(name: "features/logmel", frameShape: [1, 8], timeAxis: 1),
            ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32),
            ColumnSpec(name: "meta/split", dtype: .string), ColumnSpec(name: "meta/device", dtype: .string),
            ColumnSpec(name: "meta/city", dtype: .string),
        ]
        var infos: [ShardInfo] = []
        var generator = SplitMix64(seed: 5)
        for (k, range) in [0..<(rows / 2), (rows / 2)..<rows].enumerated() {
            let writer = try ShardWriter(directory: store.appendingPathComponent("shards"), name: "part-0000\(k)", schema: schema,
                                         rowCount: range.count)
            for (n, i) in range.enumerated() {
                let label = i % 3
                let features = (0..<(frames(i) * 8)).map { j -> Float in
                    let f = j % 8
                    return -40 + (f / 2 == label ? 6 : 0) + Float(generator.nextSigned() * 8)
                }
                try writer.write(row: ["features/logmel": .float32(features), "meta/id": .string("rec-\(i)"),
                                       "meta/label": .int32(Int32(label)), "meta/split": .string(i % 5 == 0 ? "validation" : "train"),
                                       "meta/device": .string("a"), "meta/city": .string("city-\(i % 2)")], at: n)
            }
            infos.append(try writer.commit().inFolder("shards"))
        }
        try Manifest(pipeline: "crop-test", configHash: "crop-1", createdBy: "CropTrainTests", columns: schema,
                     classes: classes, shards: infos, rowCount: rows).write(to: store)
        return store
    }

    func testCNNTrainsOnCropsResumesExactlyAndPredictsOneRowPerRecording() throws {
        let root = try TemporaryFolder.forTest(self)
        let store = try Self.wholeRecordingStore(in: root).path
        func pipe(_ arguments: [String]) throws -> ProcessResult { try ProcessRunner.pipe(arguments) }
        let common = ["train", store, "--model", "cnn", "--channels", "4,8", "--batch", "8", "--learning-rate", "0.01", "--seed", "1"]

        // Whole recordings without a crop, and crop options without the CNN, are refused by name.
        let noCrop = try pipe(common + ["--epochs", "1", "--out", root.appendingPathComponent("x.h5").path])
        XCTAssertNotEqual(noCrop.status, 0)
        XCTAssertTrue(noCrop.err.contains("holds whole recordings of their own lengths [1, T, 8]") && noCrop.err.contains("--crop T"), noCrop.err)
        let mlp = try pipe(["train", store, "--crop", "16", "--out", root.appendingPathComponent("x.json").path])
        XCTAssertTrue(mlp.err.contains("--crop needs --model cnn"), mlp.err)
        let mlpNoCrop = try pipe(["train", store, "--out", root.appendingPathComponent("x.json").path])
        XCTAssertTrue(mlpNoCrop.err.contains("--crop T"), mlpNoCrop.err)
        let hopOnly = try pipe(common + ["--crop-hop", "8", "--out", root.appendingPathComponent("x.h5").path])
        XCTAssertTrue(hopOnly.err.contains("--crop-hop needs --crop T"), hopOnly.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("x.h5").path))

        let crop = ["--crop", "16", "--crop-hop", "8"]
        let full = root.appendingPathComponent("full.h5")
        let run = try pipe(common + crop + ["--epochs", "8", "--out", full.path, "--checkpoint", root.appendingPathComponent("a").path])
        XCTAssertEqual(run.status, 0, run.err)
        let checkpoint = try CNNCheckpoint.load(from: full)
        XCTAssertEqual(checkpoint.header.options.crop, TrainingCrop(frames: 16, hop: 8), "the crop is recorded in the model")
        XCTAssertEqual(checkpoint.header.featureShape, [1, 16, 8])

        // Stopped after 3 epochs and resumed to 8: the same bytes. Another hop is another run.
        let half = root.appendingPathComponent("half.h5")
        let folder = root.appendingPathComponent("b").path
        XCTAssertEqual(try pipe(common + crop + ["--epochs", "3", "--out", half.path, "--checkpoint", folder]).status, 0)
        let otherHop = try pipe(common + ["--crop", "16", "--crop-hop", "4", "--epochs", "8", "--out", half.path, "--overwrite",
                                          "--checkpoint", folder, "--resume"])
        XCTAssertTrue(otherHop.err.contains("other options"), otherHop.err)
        let resumed = try pipe(common + crop + ["--epochs", "8", "--out", half.path, "--overwrite", "--checkpoint", folder, "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertEqual(try Data(contentsOf: half), try Data(contentsOf: full), "the resumed run's final model differs")

        // One prediction per recording: the mean of its sliding windows' probabilities.
        let view = root.appendingPathComponent("predicted")
        let csv = root.appendingPathComponent("p.csv")
        let predict = try pipe(["predict", full.path, store, "--out", view.path, "--csv", csv.path])
        XCTAssertEqual(predict.status, 0, predict.err)
        let file = try PredictionsFile.read(csv)
        XCTAssertEqual(file.ids, (0..<120).map { "rec-\($0)" })
        XCTAssertEqual(try StoreReader(manifest: view.appendingPathComponent("manifest.json")).rowCount, 120)
        let net = checkpoint.network()
        let shard = try ShardReader(url: URL(fileURLWithPath: store).appendingPathComponent("shards/part-00000.h5"))
        for row in [0, 3, 7] {
            let length = Self.frames(row)
            var starts = [0]
            while starts.last! + 16 < length { starts.append(starts.last! + 8) }
            var mean = [Double](repeating: 0, count: 3)
            for start in starts {
                var window = try shard.readFrames("features/logmel", row: row, frames: start..<min(length, start + 16))
                window += [Float](repeating: 0, count: 16 * 8 - window.count)
                let p = SoftmaxCrossEntropy.probabilities(net.forward(window, batch: 1, training: false), classes: 3)
                for c in 0..<3 { mean[c] += Double(p[c]) / Double(starts.count) }
            }
            XCTAssertGreaterThan(starts.count, 1)
            for c in 0..<3 { XCTAssertEqual(file.probabilities[row][c], mean[c], accuracy: 2e-6, "row \(row), class \(c)") }
        }

        // Far above chance on the held-out recordings; the trainer's figure is evaluate's.
        let evaluation = try Evaluation.evaluate(view: view, split: "validation")
        XCTAssertEqual(evaluation.rows, 24)
        XCTAssertGreaterThan(evaluation.accuracy, 0.7, "three classes: chance is 33 %")
        let last = try XCTUnwrap(run.out.split(separator: "\n").last { $0.hasPrefix("epoch 8/8") })
        XCTAssertTrue(last.contains(String(format: "valid accuracy %.1f%%", evaluation.accuracy * 100)), "\(last) vs \(evaluation.accuracy)")
    }

    /// Models trained on fixed-length rows meet whole recordings: the CNN is applied to windows of
    /// its own input length (hop = length), the MLP (band statistics of a fixed shape) is refused.
    func testFixedLengthModelsOnWholeRecordings() throws {
        let root = try TemporaryFolder.forTest(self)
        let whole = try Self.wholeRecordingStore(in: root.appendingPathComponent("whole"), rows: 30)
        let fixed = try TrainTests.separableStore(in: root.appendingPathComponent("fixed"), rows: 60)
        var options = TrainOptions(epochs: 1, batchSize: 8, learningRate: 0.01, seed: 1)
        options.model = .cnn
        options.cnn = CNNArchitecture(channels: [4, 8])
        let cnn = try CNNTrainer.train(manifest: fixed, options: options)
        XCTAssertEqual(cnn.header.featureShape, [1, 20, 8])
        let predictions = try Predictor.predict(.cnn(cnn), modelPath: "c.h5", manifest: whole)
        XCTAssertEqual(predictions.map(\.id), (0..<30).map { "rec-\($0)" })
        XCTAssertEqual(predictions.map(\.row), Array(0..<30))
        for p in predictions { XCTAssertEqual(Double(p.probabilities.reduce(0, +)), 1, accuracy: 1e-5) }
        let mlp = try Trainer.train(manifest: fixed, options: TrainOptions(epochs: 1, batchSize: 8, hidden: 4, seed: 1))
        XCTAssertThrowsError(try Predictor.predict(mlp, modelPath: "m.json", manifest: whole)) {
            XCTAssertTrue("\($0)".contains("model m.json does not fit: 'features/logmel' holds whole recordings"), "\($0)")
        }
        // A crop of fixed-length rows is refused by name too.
        var cropped = options
        cropped.crop = TrainingCrop(frames: 16)
        XCTAssertThrowsError(try CNNTrainer.train(manifest: fixed, options: cropped)) {
            XCTAssertTrue("\($0)".contains("--crop 16 cuts whole recordings"), "\($0)")
        }
    }
}
