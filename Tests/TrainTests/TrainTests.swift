import Foundation
import Labels
import Randomness
import Store
import Stream
import TestSupport
@testable import Train
import XCTest

final class TrainTests: XCTestCase {
    static let classes = ["park", "metro", "street"]

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("TrainTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A store whose class decides which two of 8 bands are louder (plus noise the model must see
    /// through): row i has class i % 3; every fifth row is validation.
    private func separableStore(in root: URL, rows: Int = 240, poison: Int? = nil) throws -> URL {
        try Self.separableStore(in: root, rows: rows, poison: poison)
    }

    static func separableStore(in root: URL, rows: Int = 240, poison: Int? = nil) throws -> URL {
        let store = root.appendingPathComponent("store")
        let schema = [
            ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: [1, 20, 8]),
            ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32),
            ColumnSpec(name: "meta/split", dtype: .string), ColumnSpec(name: "meta/device", dtype: .string),
            ColumnSpec(name: "meta/city", dtype: .string),
        ]
        var infos: [ShardInfo] = []
        var generator = SplitMix64(seed: 99)
        for (k, range) in [0..<(rows / 2), (rows / 2)..<rows].enumerated() {
            let writer = try ShardWriter(directory: store.appendingPathComponent("shards"), name: "part-0000\(k)", schema: schema,
                                         rowCount: range.count)
            for (n, i) in range.enumerated() {
                let label = i % 3
                var features = [Float](repeating: 0, count: 160)
                for t in 0..<20 {
                    for f in 0..<8 {
                        let loud = f == label * 2 || f == label * 2 + 1
                        features[t * 8 + f] = -40 + (loud ? 6 : 0) + Float(generator.nextSigned() * 8)
                    }
                }
                if i == poison { features[3] = .nan }
                try writer.write(row: ["features/logmel": .float32(features), "meta/id": .string("clip-\(i)"),
                                       "meta/label": .int32(Int32(label)), "meta/split": .string(i % 5 == 0 ? "validation" : "train"),
                                       "meta/device": .string(i % 2 == 0 ? "a" : "b"), "meta/city": .string("city-\(i % 4)")], at: n)
            }
            infos.append(try writer.commit().inFolder("shards"))
        }
        try Manifest(pipeline: "train-test", configHash: "train-1", createdBy: "TrainTests", columns: schema,
                     classes: Self.classes, shards: infos, rowCount: rows).write(to: store)
        return store
    }

    func testBackwardMatchesNumericalGradients() throws {
        let network = MLPClassifier(inputs: 5, hidden: 4, classes: 3, seed: 1)
        var generator = SplitMix64(seed: 2)
        let rows = 6
        let x = (0..<(rows * 5)).map { _ in Float(generator.nextSigned()) }
        // Soft targets (rows summing to 1), as from a teacher or mixup.
        var targets = (0..<(rows * 3)).map { _ in Float(generator.nextUnit()) + 0.1 }
        for r in 0..<rows {
            let sum = targets[(r * 3)..<(r * 3 + 3)].reduce(0, +)
            for c in 0..<3 { targets[r * 3 + c] /= sum }
        }
        func loss(_ net: MLPClassifier) -> Double {
            SoftmaxCrossEntropy.loss(logits: net.forward(x, rows: rows).logits, targets: targets, classes: 3).loss
        }
        let forward = network.forward(x, rows: rows)
        let logitGradient = SoftmaxCrossEntropy.loss(logits: forward.logits, targets: targets, classes: 3).gradient
        let analytic = network.backward(x, rows: rows, forward: forward, logitGradient: logitGradient)
        XCTAssertEqual(analytic.count, 5 * 4 + 4 + 4 * 3 + 3)
        var worst = 0.0
        for k in network.weights.indices {
            var plus = network
            var minus = network
            let step: Float = 1e-2
            plus.weights[k] += step
            minus.weights[k] -= step
            let numeric = (loss(plus) - loss(minus)) / Double(2 * step)
            worst = max(worst, abs(numeric - Double(analytic[k])))
            XCTAssertEqual(Double(analytic[k]), numeric, accuracy: 2e-3, "parameter \(k)")
        }
        XCTAssertGreaterThan(analytic.map { abs($0) }.max() ?? 0, 0.01, "gradients are not all zero")
        print("gradient check: worst |analytic - numeric| = \(worst)")
    }

    func testLearnsASeparableStoreAndPredictsAndEvaluates() throws {
        let root = try temporaryDirectory()
        let store = try separableStore(in: root)
        let options = TrainOptions(epochs: 15, batchSize: 16, hidden: 16, learningRate: 0.01, seed: 3)
        var reports: [Trainer.EpochReport] = []
        let model = try Trainer.train(manifest: store, options: options) { reports.append($0) }
        XCTAssertEqual(reports.count, 15)
        XCTAssertLessThan(reports.last!.loss, reports.first!.loss * 0.5, "the loss falls")
        XCTAssertGreaterThan(try XCTUnwrap(reports.last?.validAccuracy), 0.9, "far above chance (1/3) on held-out rows")
        XCTAssertEqual(model.position, StreamPosition(epoch: 15, batch: 0, seed: 3))

        let again = try Trainer.train(manifest: store, options: options)
        XCTAssertEqual(again, model, "same options, same model")

        let file = root.appendingPathComponent("model.json")
        try model.write(to: file)
        let loaded = try TrainedModel.load(from: file)
        XCTAssertEqual(loaded, model)
        let predictions = try Predictor.predict(loaded, modelPath: file.path, manifest: store, split: "validation")
        XCTAssertEqual(predictions.count, 48)
        XCTAssertEqual(predictions.map(\.id), stride(from: 0, to: 240, by: 5).map { "clip-\($0)" })
        for p in predictions { XCTAssertEqual(Double(p.probabilities.reduce(0, +)), 1, accuracy: 1e-5) }
        let csv = root.appendingPathComponent("predictions.csv")
        try Predictor.file(predictions, classes: model.classes).write(to: csv)
        let text = try String(contentsOf: csv, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("id,park,metro,street,predicted\nclip-0,"), text)
        // The bytes `pipe predict` has always written: `%.6f` probabilities, then the argmax's name.
        let first = predictions[0].probabilities
        let best = model.classes[first.indices.max { first[$0] < first[$1] || (first[$0] == first[$1] && $0 > $1) }!]
        XCTAssertTrue(text.hasPrefix("id,park,metro,street,predicted\nclip-0,"
            + first.map { String(format: "%.6f", $0) }.joined(separator: ",") + ",\(best)\n"), text)
        XCTAssertTrue(text.hasSuffix("\n") && !text.contains("\r"))
        let read = try PredictionsFile.read(csv)
        XCTAssertEqual(read.classes, Self.classes)
        XCTAssertEqual(read.ids, predictions.map(\.id))
        XCTAssertTrue(read.hasPredictedColumn)
        for (row, p) in zip(read.probabilities, predictions) {
            for (a, b) in zip(row, p.probabilities) { XCTAssertEqual(a, Double(b), accuracy: 5e-7) }
        }
        // The probabilities as a view's soft targets, streamed back.
        let view = root.appendingPathComponent("views/teacher")
        try Predictor.writeView(predictions, manifest: store, directory: view, name: "teacher", modelHash: "m-1")
        let soft = try StreamTable(manifest: view, options: StreamOptions(features: "features/logmel", labels: .soft("teacher"),
                                                                          batchSize: 48, shuffle: false))
        let streamed = try XCTUnwrap(BatchStream(table: soft, epochs: 1).next())
        XCTAssertEqual(streamed.ids, predictions.map(\.id))
        XCTAssertEqual(streamed.targets, predictions.flatMap(\.probabilities))
        let evaluation = try Evaluation.evaluate(predictions: csv, manifest: store, split: "validation")
        XCTAssertEqual(evaluation.rows, 48)
        XCTAssertEqual(evaluation.accuracy, try XCTUnwrap(reports.last?.validAccuracy), accuracy: 1e-9)
        XCTAssertEqual(evaluation.confusion.flatMap { $0 }.reduce(0, +), 48)
        XCTAssertEqual(evaluation.perClass.map(\.count), [16, 16, 16])
        XCTAssertEqual(evaluation.macroAccuracy, evaluation.perClass.map(\.accuracy).reduce(0, +) / 3, accuracy: 1e-12)
        XCTAssertEqual(evaluation.perDevice.values.map(\.total).reduce(0, +), 48)
        XCTAssertEqual(Set(evaluation.perCity.keys), ["city-0", "city-1", "city-2", "city-3"])
        XCTAssertTrue(evaluation.text.contains("macro accuracy:"), evaluation.text)
        // Evaluating every split needs a prediction for every labelled row.
        XCTAssertThrowsError(try Evaluation.evaluate(predictions: csv, manifest: store)) {
            XCTAssertTrue("\($0)".contains("no prediction for row 'clip-1'"), "\($0)")
        }
    }

    func testResumedTrainingEqualsAnUninterruptedRun() throws {
        let root = try temporaryDirectory()
        let store = try separableStore(in: root, rows: 90)
        var options = TrainOptions(epochs: 5, batchSize: 8, hidden: 8, learningRate: 0.01, seed: 4)
        let full = try Trainer.train(manifest: store, options: options)
        var checkpoints: [TrainedModel] = []
        options.epochs = 2
        _ = try Trainer.train(manifest: store, options: options, epochEnd: { checkpoints.append($0) })
        XCTAssertEqual(checkpoints.map(\.position.epoch), [1, 2])
        let file = root.appendingPathComponent("epoch-002.json")
        try checkpoints[1].write(to: file)
        options.epochs = 5
        let resumed = try Trainer.train(manifest: store, options: options, resuming: TrainedModel.load(from: file))
        XCTAssertEqual(resumed.network.weights, full.network.weights, "same weights, bit for bit")
        XCTAssertEqual(resumed.optimizer, full.optimizer)
        XCTAssertEqual(resumed, full)
        try resumed.write(to: root.appendingPathComponent("a.json"))
        try full.write(to: root.appendingPathComponent("b.json"))
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("a.json")), try Data(contentsOf: root.appendingPathComponent("b.json")))
        var other = options
        other.learningRate = 0.02
        XCTAssertThrowsError(try Trainer.train(manifest: store, options: other, resuming: checkpoints[1])) {
            XCTAssertTrue("\($0)".contains("other options"), "\($0)")
        }
    }

    /// `pipe train`, `pipe predict`, `pipe evaluate` as a user runs them, with the refusals.
    func testCommandLineTrainPredictEvaluate() throws {
        func pipe(_ arguments: [String]) throws -> ProcessResult { try ProcessRunner.pipe(arguments) }
        let root = try temporaryDirectory()
        let store = try separableStore(in: root).path
        let model = root.appendingPathComponent("model.json").path
        let train = try pipe(["train", store, "--out", model, "--epochs", "12", "--batch", "16", "--hidden", "16",
                              "--learning-rate", "0.01", "--seed", "3"])
        XCTAssertEqual(train.status, 0, train.err)
        XCTAssertTrue(train.out.contains("epoch 12: loss"), train.out)
        let again = try pipe(["train", store, "--out", model])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.err.contains("exists; nothing was trained"), again.err)
        let csv = root.appendingPathComponent("predictions.csv").path
        // The CSV is --csv; --out is the predictions view, and the old form --out FILE.csv is refused by name.
        let old = try pipe(["predict", model, store, "--out", csv, "--split", "validation"])
        XCTAssertNotEqual(old.status, 0)
        XCTAssertTrue(old.err.contains("names the predictions view folder; write the CSV with --csv"), old.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv))
        let view = root.appendingPathComponent("predicted").path
        let predict = try pipe(["predict", model, store, "--out", view, "--csv", csv, "--split", "validation"])
        XCTAssertEqual(predict.status, 0, predict.err)
        XCTAssertTrue(predict.out.contains("wrote 48 predictions"), predict.out)
        let viewed = try StoreReader(manifest: URL(fileURLWithPath: view).appendingPathComponent("manifest.json"))
        XCTAssertEqual(viewed.rowCount, 48)
        XCTAssertEqual(viewed.manifest.addedColumns, ["targets/predicted"])
        XCTAssertEqual(viewed.manifest.overriddenColumns ?? [], [], "the view adds the probabilities and copies no feature")
        XCTAssertEqual(try viewed.readColumn("targets/predicted").map { $0.floats?.count }, [Int?](repeating: 3, count: 48))
        let fromView = try Evaluation.evaluate(view: URL(fileURLWithPath: view), split: "validation")
        let fromCSV = try Evaluation.evaluate(predictions: URL(fileURLWithPath: csv), manifest: URL(fileURLWithPath: store), split: "validation")
        XCTAssertEqual(fromView.accuracy, fromCSV.accuracy, accuracy: 1e-12)
        // The same prediction again rewrites its own view; the CSV is not replaced without --overwrite;
        // a view folder holding a store, or a stranger's file, is refused before anything is predicted.
        let rerun = try pipe(["predict", model, store, "--out", view, "--split", "validation"])
        XCTAssertEqual(rerun.status, 0, rerun.err)
        let csvAgain = try pipe(["predict", model, store, "--out", view, "--csv", csv, "--split", "validation"])
        XCTAssertTrue(csvAgain.err.contains("exists; nothing was predicted"), csvAgain.err)
        let onStore = try pipe(["predict", model, store, "--out", store])
        XCTAssertTrue(onStore.err.contains("holds a store, not a view"), onStore.err)
        let other = try pipe(["predict", model, store, "--out", view, "--split", "train"])
        XCTAssertTrue(other.err.contains("holds a view of another configuration"), other.err)
        let stranger = root.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: stranger, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: stranger.appendingPathComponent("notes.txt"))
        let foreign = try pipe(["predict", model, store, "--out", stranger.path])
        XCTAssertNotEqual(foreign.status, 0)
        XCTAssertTrue(foreign.err.contains("notes.txt"), foreign.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stranger.appendingPathComponent("manifest.json").path))
        let replaced = try pipe(["predict", model, store, "--out", view, "--split", "train", "--overwrite"])
        XCTAssertEqual(replaced.status, 0, replaced.err)
        let evaluate = try pipe(["evaluate", csv, store, "--split", "validation", "--out", root.appendingPathComponent("eval").path])
        XCTAssertEqual(evaluate.status, 0, evaluate.err)
        let accuracy = try XCTUnwrap(evaluate.out.split(separator: "\n").first { $0.hasPrefix("accuracy:") })
        let percent = try XCTUnwrap(Double(accuracy.dropFirst("accuracy:".count).trimmingCharacters(in: .whitespaces).dropLast()))
        XCTAssertGreaterThan(percent, 90, evaluate.out)
        let confusion = try String(contentsOfFile: root.appendingPathComponent("eval/confusion.csv").path, encoding: .utf8)
        XCTAssertTrue(confusion.hasPrefix("true\\predicted,park,metro,street\npark,"), confusion)
        let wrongColumn = try pipe(["train", store, "--out", root.appendingPathComponent("m2.json").path, "--features", "features/mfcc"])
        XCTAssertTrue(wrongColumn.err.contains("no column 'features/mfcc'"), wrongColumn.err)
        // Online augmentation: bad values refused before training, good ones recorded in the model.
        let m3 = root.appendingPathComponent("m3.json").path
        for (flags, message) in [(["--mixup", "0"], "mixup alpha 0.0 must be > 0"),
                                 (["--freq-mixstyle", "0.3"], "expected ALPHA,P"),
                                 (["--freq-mixstyle", "0.3,2"], "p 2.0 is not a probability"),
                                 (["--freq-mask", "20"], "frequency mask 20 is wider than the 8 bins")] {
            let bad = try pipe(["train", store, "--out", m3, "--epochs", "1"] + flags)
            XCTAssertNotEqual(bad.status, 0, flags.joined(separator: " "))
            XCTAssertTrue(bad.err.contains(message), bad.err)
            XCTAssertFalse(bad.out.contains("epoch 1:"), bad.out)
            XCTAssertFalse(FileManager.default.fileExists(atPath: m3))
        }
        let mixed = try pipe(["train", store, "--out", m3, "--epochs", "2", "--batch", "16", "--mixup", "0.3",
                              "--freq-mixstyle", "0.3,0.4", "--time-mask", "4", "--freq-shift", "3", "--readers", "2"])
        XCTAssertEqual(mixed.status, 0, mixed.err)
        let recorded = try TrainedModel.load(from: URL(fileURLWithPath: m3)).options.augmentation
        XCTAssertEqual(recorded, OnlineAugmentation(mixupAlpha: 0.3, freqMixStyleAlpha: 0.3, freqMixStyleP: 0.4, timeMask: 4, freqShift: 3))
    }

    func testAModelRefusesAViewItDoesNotFit() throws {
        let root = try temporaryDirectory()
        let store = try separableStore(in: root, rows: 60)
        var model = try Trainer.train(manifest: store, options: TrainOptions(epochs: 1, batchSize: 8, hidden: 4, seed: 1))
        model.classes = ["a", "b", "c"]
        XCTAssertThrowsError(try Predictor.predict(model, modelPath: "m.json", manifest: store)) {
            XCTAssertTrue("\($0)".contains("model m.json does not fit: the classes there are [park, metro, street]"), "\($0)")
        }
        model.classes = Self.classes
        model.featureShape = [1, 40, 8]
        XCTAssertThrowsError(try Predictor.predict(model, modelPath: "m.json", manifest: store)) {
            XCTAssertTrue("\($0)".contains("[1, 20, 8] there"), "\($0)")
        }
        let file = root.appendingPathComponent("bad.json")
        try Data("{\"formatVersion\": 1}".utf8).write(to: file)
        XCTAssertThrowsError(try TrainedModel.load(from: file)) { XCTAssertTrue("\($0)".contains("not a model file"), "\($0)") }
    }

    func testNaNInTheLossStopsTraining() throws {
        let root = try temporaryDirectory()
        let store = try separableStore(in: root, rows: 60, poison: 7)
        XCTAssertThrowsError(try Trainer.train(manifest: store, options: TrainOptions(epochs: 2, batchSize: 8, hidden: 4, seed: 1))) {
            XCTAssertTrue("\($0)".contains("training diverged: loss nan"), "\($0)")
        }
    }
}
