import Foundation
import Labels
import Randomness
import Store
import Stream
import TestSupport
@testable import Train
import XCTest

/// The CNN trainer end to end on small stores: it learns, resumes exactly, ignores the thread
/// count, and refuses checkpoints and inputs that are not its own.
final class CNNTrainTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("CNNTrainTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A small CNN: two blocks of 4 and 8 channels on [1, 20, 8] rows.
    private func options(epochs: Int, seed: UInt64 = 1) -> TrainOptions {
        var options = TrainOptions(epochs: epochs, batchSize: 16, learningRate: 0.01, weightDecay: 1e-4, seed: seed)
        options.model = .cnn
        options.cnn = CNNArchitecture(channels: [4, 8], dropout: 0.1)
        options.threads = 2
        return options
    }

    func testLearnsFarAboveChanceAndPredictsAndEvaluatesAView() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root)
        var reports: [Trainer.EpochReport] = []
        let model = try CNNTrainer.train(manifest: store, options: options(epochs: 6), progress: { reports.append($0) })
        XCTAssertEqual(reports.count, 6)
        let valid = try XCTUnwrap(reports.last?.validAccuracy)
        // Three classes: chance is 33 %.
        XCTAssertGreaterThan(valid, 0.85, "validation accuracy \(reports.map { $0.validAccuracy ?? -1 })")
        XCTAssertLessThan(reports.last!.loss, reports.first!.loss)

        let predictions = try Predictor.predict(.cnn(model), modelPath: "m.h5", manifest: store, split: "validation", threads: 2)
        XCTAssertEqual(predictions.count, 48)
        for p in predictions { XCTAssertEqual(Double(p.probabilities.reduce(0, +)), 1, accuracy: 1e-5) }
        let view = root.appendingPathComponent("predicted")
        try Predictor.writeView(predictions, manifest: store, directory: view, name: "predicted", modelHash: "m")
        let evaluation = try Evaluation.evaluate(view: view, split: "validation")
        XCTAssertEqual(evaluation.rows, 48)
        XCTAssertEqual(evaluation.accuracy, valid, accuracy: 1e-9, "evaluation mode, same rows: the trainer's own figure")
        XCTAssertEqual(evaluation.perClass.map(\.count), [16, 16, 16])
        let files = try evaluation.writeReports(view: view, split: "validation")
        XCTAssertEqual(files.map(\.lastPathComponent), ["evaluation-validation.txt", "confusion-validation.csv"])
        XCTAssertEqual(files[0].deletingLastPathComponent().lastPathComponent, "reports")
        XCTAssertTrue(try String(contentsOf: files[0], encoding: .utf8).contains("macro accuracy:"))
        XCTAssertThrowsError(try Evaluation.evaluate(view: view, targets: "teacher")) {
            XCTAssertTrue("\($0)".contains("no column 'targets/teacher'"), "\($0)")
        }
    }

    /// Stopped after epoch 2 and resumed from its HDF5 checkpoint, a run with dropout, Adam and a
    /// cosine schedule with warmup writes the final checkpoint of the uninterrupted run, byte for byte;
    /// the same for SGD with momentum and StepLR.
    func testResumedRunEndsByteIdenticalToAnUninterruptedRun() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root, rows: 96)
        for (k, optimizer) in [Optimizer.Kind.adam, .sgd].enumerated() {
            var options = options(epochs: 4, seed: 5)
            options.optimizer = optimizer
            options.schedule = k == 0 ? LearningRateSchedule(kind: .cosine, warmupEpochs: 1) : LearningRateSchedule(kind: .step, stepEpochs: 1, gamma: 0.5)
            let full = try CNNTrainer.train(manifest: store, options: options)
            var saved: URL?
            struct Stop: Error {}
            XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: options, epochEnd: { checkpoint in
                let url = root.appendingPathComponent("epoch-\(k)-\(checkpoint.position.epoch).h5")
                try checkpoint.write(to: url)
                saved = url
                if checkpoint.position.epoch == 2 { throw Stop() }
            }))
            let file = try XCTUnwrap(saved)
            let restored = try CNNCheckpoint.load(from: file)
            XCTAssertEqual(restored.position.epoch, 2)
            let resumed = try CNNTrainer.train(manifest: store, options: options, resuming: restored, checkpointPath: file.path)
            let a = root.appendingPathComponent("full-\(k).h5"), b = root.appendingPathComponent("resumed-\(k).h5")
            try full.write(to: a)
            try resumed.write(to: b)
            XCTAssertEqual(resumed.parameters, full.parameters)
            XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: b), "\(optimizer): final checkpoints differ")
            XCTAssertEqual(try CNNCheckpoint.load(from: a), full)
        }
    }

    /// One thread or two: the same weights, bit for bit (fixed gradient groups, single-threaded BLAS).
    func testThreadCountDoesNotChangeTheModel() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root, rows: 96)
        var one = options(epochs: 1)
        one.threads = 1
        var two = one
        two.threads = 2
        let a = try CNNTrainer.train(manifest: store, options: one)
        let b = try CNNTrainer.train(manifest: store, options: two)
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertEqual(a.state, b.state)
        var other = one
        other.seed = 2
        XCTAssertNotEqual(try CNNTrainer.train(manifest: store, options: other).parameters, a.parameters)
    }

    func testRefusesCheckpointsOfAnotherModelStoreOrRun() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root.appendingPathComponent("a"), rows: 48)
        var options = options(epochs: 2)
        var first: CNNCheckpoint?
        _ = try CNNTrainer.train(manifest: store, options: options, epochEnd: { if first == nil { first = $0 } })
        let checkpoint = try XCTUnwrap(first)
        // Another store: same layout and classes, another config hash.
        let otherRoot = root.appendingPathComponent("b")
        let other = try TrainTests.separableStore(in: otherRoot, rows: 48)
        var manifest = try Manifest.load(from: other)
        manifest.configHash = "train-2"
        try manifest.write(to: other)
        XCTAssertThrowsError(try CNNTrainer.train(manifest: other, options: options, resuming: checkpoint, checkpointPath: "e1.h5")) {
            XCTAssertTrue("\($0)".contains("model e1.h5 does not fit: trained on a store of config hash"), "\($0)")
        }
        var changed = options
        changed.learningRate = 0.02
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: changed, resuming: checkpoint)) {
            XCTAssertTrue("\($0)".contains("other options"), "\($0)")
        }
        options.schedule = LearningRateSchedule(kind: .cosine)
        var cosine: CNNCheckpoint?
        _ = try CNNTrainer.train(manifest: store, options: options, epochEnd: { if cosine == nil { cosine = $0 } })
        options.epochs = 3
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: options, resuming: cosine)) {
            XCTAssertTrue("\($0)".contains("cosine schedule spans 2 epochs"), "\($0)")
        }
        // An MLP model file is not a CNN checkpoint, and the reverse.
        let mlp = try Trainer.train(manifest: store, options: TrainOptions(epochs: 1, batchSize: 8, hidden: 4, seed: 1))
        let json = root.appendingPathComponent("mlp.json")
        try mlp.write(to: json)
        XCTAssertThrowsError(try CNNCheckpoint.load(from: json)) { XCTAssertTrue("\($0)".contains("mlp.json: not a readable checkpoint"), "\($0)") }
        let h5 = root.appendingPathComponent("cnn.h5")
        try checkpoint.write(to: h5)
        XCTAssertThrowsError(try TrainedModel.load(from: h5)) { XCTAssertTrue("\($0)".contains("cnn.h5: not a model file"), "\($0)") }
        guard case .cnn = try ModelFile.load(from: h5) else { return XCTFail("a CNN checkpoint loads as a CNN") }
        guard case .mlp = try ModelFile.load(from: json) else { return XCTFail("an MLP file loads as an MLP") }
        var relabelled = checkpoint
        relabelled.header.classes = ["a", "b", "c"]
        XCTAssertThrowsError(try Predictor.predict(.cnn(relabelled), modelPath: "c.h5", manifest: store)) {
            XCTAssertTrue("\($0)".contains("model c.h5 does not fit: the classes there are [park, metro, street]"), "\($0)")
        }
        // A shard of a store is HDF5 but no checkpoint.
        let shard = store.appendingPathComponent("shards/part-00000.h5")
        XCTAssertThrowsError(try CNNCheckpoint.load(from: shard)) { XCTAssertTrue("\($0)".contains("no 'checkpoint' attribute"), "\($0)") }
    }

    func testBadInputIsRefusedBeforeTraining() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root, rows: 48)
        var big = options(epochs: 1)
        big.batchSize = 100
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: big)) {
            XCTAssertTrue("\($0)".contains("fewer than one batch of 100"), "\($0)")
        }
        var deep = options(epochs: 1)
        deep.cnn = CNNArchitecture(channels: [2, 2, 2, 2, 2])
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: deep)) {
            XCTAssertTrue("\($0)".contains("too small for 4 2×2 poolings"), "\($0)")
        }
        var empty = options(epochs: 1)
        empty.trainSplit = "test"
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: empty)) { XCTAssertTrue("\($0)".contains("keeps 0 rows"), "\($0)") }
        var missing = options(epochs: 1)
        missing.features = "features/mfcc"
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: missing)) { XCTAssertTrue("\($0)".contains("mfcc"), "\($0)") }
        var kd = options(epochs: 1)
        kd.distillation = Distillation(targets: "teachers")
        XCTAssertThrowsError(try CNNTrainer.train(manifest: store, options: kd)) { XCTAssertTrue("\($0)".contains("teachers"), "\($0)") }
        let poisoned = try TrainTests.separableStore(in: root.appendingPathComponent("nan"), rows: 48, poison: 7)
        XCTAssertThrowsError(try CNNTrainer.train(manifest: poisoned, options: options(epochs: 1))) {
            XCTAssertTrue("\($0)".contains("training diverged: loss nan"), "\($0)")
        }
    }

    /// Distillation (Eq. 5) and soft-target training read a view's targets/<name>.
    func testDistillationAndSoftTargetsTrainFromAViewsTargets() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root, rows: 96)
        let teacher = try CNNTrainer.train(manifest: store, options: options(epochs: 2))
        let predictions = try Predictor.predict(.cnn(teacher), modelPath: "t.h5", manifest: store)
        let view = root.appendingPathComponent("teacher")
        try Predictor.writeView(predictions, manifest: store, directory: view, name: "teacher", modelHash: "t")
        var kd = options(epochs: 2, seed: 3)
        kd.distillation = Distillation(targets: "teacher", lambda: 0.5, temperature: 2)
        var reports: [Trainer.EpochReport] = []
        let student = try CNNTrainer.train(manifest: view, options: kd, progress: { reports.append($0) })
        XCTAssertEqual(reports.count, 2)
        XCTAssertTrue(reports.allSatisfy { $0.loss.isFinite && $0.loss > 0 })
        var plain = kd
        plain.distillation = nil
        XCTAssertNotEqual(try CNNTrainer.train(manifest: view, options: plain).parameters, student.parameters, "the loss changed the run")
        // λ = 1 leaves only the hard-label term: the run is the plain one, bit for bit.
        var hardOnly = kd
        hardOnly.distillation = Distillation(targets: "teacher", lambda: 1, temperature: 2)
        let plainModel = try CNNTrainer.train(manifest: view, options: plain)
        XCTAssertEqual(try CNNTrainer.train(manifest: view, options: hardOnly).parameters, plainModel.parameters)
        // Soft targets that are the one-hot labels train exactly as the hard labels do.
        let oneHot = predictions.map { p -> Predictor.Prediction in
            var q = p
            let label = Int(p.id.dropFirst("clip-".count))! % 3
            q.probabilities = (0..<3).map { $0 == label ? 1 : 0 }
            return q
        }
        let labelsView = root.appendingPathComponent("onehot")
        try Predictor.writeView(oneHot, manifest: store, directory: labelsView, name: "labels", modelHash: "l")
        var soft = plain
        soft.softTargets = "labels"
        XCTAssertEqual(try CNNTrainer.train(manifest: labelsView, options: soft).parameters,
                       try CNNTrainer.train(manifest: labelsView, options: plain).parameters)
    }

    /// `pipe bench-train` on a tiny layout: every figure line is printed.
    func testBenchTrainRuns() throws {
        let root = try temporaryDirectory()
        let bench = try ProcessRunner.pipe(["bench-train", "--work", root.path, "--rows", "16", "--frames", "12", "--bins", "8",
                                            "--batch", "8", "--channels", "2,4", "--repeats", "1"])
        XCTAssertEqual(bench.status, 0, bench.err)
        XCTAssertEqual(bench.out.components(separatedBy: "GFLOP/s, sgemm").count - 1, 6, bench.out)
        XCTAssertEqual(bench.out.components(separatedBy: " clips/s").count - 1, 3, bench.out)
        XCTAssertTrue(bench.out.contains("Conv2D [2, 6, 4] → [4, 6, 4]: forward"), bench.out)
    }

    /// `pipe train --model cnn` killed (SIGKILL) after its second checkpoint and run again with
    /// `--resume` writes the final model of the uninterrupted run, byte for byte; then `pipe predict
    /// --view` and `pipe evaluate VIEW2` report on it and write the view's reports/.
    func testCommandLineKilledRunResumesToTheSameModelAndEvaluates() throws {
        let root = try temporaryDirectory()
        let store = try TrainTests.separableStore(in: root).path
        let arguments = ["train", store, "--model", "cnn", "--channels", "8,16", "--epochs", "8", "--batch", "8",
                         "--learning-rate", "0.01", "--seed", "2", "--schedule", "cosine", "--warmup-epochs", "1", "--dropout", "0.1"]
        let full = root.appendingPathComponent("full.h5")
        let run = try ProcessRunner.pipe(arguments + ["--out", full.path, "--checkpoint", root.appendingPathComponent("a").path])
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertTrue(run.out.contains("epoch 8/8: loss"), run.out)
        XCTAssertTrue(run.out.contains("ETA"), run.out)

        let folder = root.appendingPathComponent("b")
        let killed = root.appendingPathComponent("killed.h5")
        let process = Process()
        process.executableURL = Repository.pipeExecutable
        process.arguments = arguments + ["--out", killed.path, "--checkpoint", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let second = folder.appendingPathComponent("epoch-002.h5")
        while process.isRunning, !FileManager.default.fileExists(atPath: second.path) { usleep(2000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if process.terminationReason == .exit {
            // Finished before the kill landed: leave what a kill after epoch 2 leaves.
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name > "epoch-002.h5" {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
            try? FileManager.default.removeItem(at: killed)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: killed.path))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertFalse(names.contains { !$0.hasPrefix(".") && !$0.hasSuffix(".h5") }, "\(names)")

        let other = try ProcessRunner.pipe(arguments.map { $0 == "0.01" ? "0.02" : $0 } + ["--out", killed.path, "--checkpoint", folder.path, "--resume"])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.err.contains("other options"), other.err)
        let mlp = try ProcessRunner.pipe(["train", store, "--out", root.appendingPathComponent("m.json").path, "--checkpoint", folder.path, "--resume"])
        XCTAssertNotEqual(mlp.status, 0)
        XCTAssertTrue(mlp.err.contains("no epoch-NNN.json checkpoint"), mlp.err)
        let fresh = try ProcessRunner.pipe(arguments + ["--out", killed.path, "--checkpoint", folder.path])
        XCTAssertTrue(fresh.err.contains("holds checkpoints already"), fresh.err)

        let resumed = try ProcessRunner.pipe(arguments + ["--out", killed.path, "--checkpoint", folder.path, "--resume", "--threads", "1"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(resumed.out.contains("resuming from \(folder.path)/epoch-"), resumed.out)
        XCTAssertEqual(try Data(contentsOf: killed), try Data(contentsOf: full), "the resumed run's final model differs")
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("epoch-008.h5")),
                       try Data(contentsOf: root.appendingPathComponent("a/epoch-008.h5")))

        let view = root.appendingPathComponent("predicted").path
        let predict = try ProcessRunner.pipe(["predict", full.path, store, "--out", view, "--csv", root.appendingPathComponent("p.csv").path])
        XCTAssertEqual(predict.status, 0, predict.err)
        let evaluate = try ProcessRunner.pipe(["evaluate", view, "--split", "validation"])
        XCTAssertEqual(evaluate.status, 0, evaluate.err)
        let line = try XCTUnwrap(evaluate.out.split(separator: "\n").first { $0.hasPrefix("accuracy:") })
        let percent = try XCTUnwrap(Double(line.dropFirst("accuracy:".count).trimmingCharacters(in: .whitespaces).dropLast()))
        XCTAssertGreaterThan(percent, 80, evaluate.out)
        for name in ["evaluation-validation.txt", "confusion-validation.csv", "confusion-validation.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(view)/reports/\(name)"), name)
        }
        XCTAssertTrue(evaluate.out.contains("per device:") && evaluate.out.contains("per city:"), evaluate.out)
        let again = try ProcessRunner.pipe(["evaluate", view, "--out", root.appendingPathComponent("x").path])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(evaluate.out.contains("confusion (rows: true class"), evaluate.out)
        for (extra, message) in [(["--channels", "4"], "--channels needs --model cnn"), (["--model", "cnn", "--hidden", "8"], "--hidden is the MLP's"),
                                 (["--model", "cnn", "--kd-lambda", "0.3"], "need --distill NAME"),
                                 (["--model", "cnn", "--channels", "4,x"], "--channels '4,x'")] {
            let refused = try ProcessRunner.pipe(["train", store, "--out", root.appendingPathComponent("r.h5").path] + extra)
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.err.contains(message), refused.err)
        }
    }
}
