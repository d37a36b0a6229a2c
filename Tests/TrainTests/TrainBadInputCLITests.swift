import Foundation
import Store
import TestSupport
@testable import Train
import XCTest

/// Issue 11's bad input through `pipe train` / `pipe predict`: each a clear message naming the
/// file or option, exit status non-zero, no model or predictions written, never silent garbage.
final class TrainBadInputCLITests: XCTestCase {
    private func pipe(_ arguments: [String]) throws -> ProcessResult { try ProcessRunner.pipe(arguments) }

    /// Runs `arguments`, expects failure with every one of `words` in stderr and no file at `out`.
    private func refused(_ arguments: [String], _ words: [String], out: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try pipe(arguments)
        XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "), file: file, line: line)
        for word in words { XCTAssertTrue(result.err.contains(word), "expected '\(word)' in: \(result.err)", file: file, line: line) }
        XCTAssertFalse(result.out.contains("epoch 1"), result.out, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(out.path) was written", file: file, line: line)
    }

    func testTrainAndPredictRefuseBadInputByName() throws {
        let root = try TemporaryFolder.forTest(self)
        let store = try TrainTests.separableStore(in: root.appendingPathComponent("a"), rows: 60)
        let model = root.appendingPathComponent("m.h5")
        let cnn = ["--model", "cnn", "--channels", "4,8", "--epochs", "1", "--batch", "8", "--seed", "1"]
        func train(_ source: URL, _ extra: [String] = []) -> [String] { ["train", source.path, "--out", model.path] + cnn + extra }

        // A column that does not exist, a batch larger than the split, a split with no rows.
        try refused(train(store, ["--features", "features/mfcc"]), ["no column 'features/mfcc'", store.path], out: model)
        try refused(train(store, ["--batch", "100"]), ["keeps 48 rows", "fewer than one batch of 100"], out: model)
        try refused(train(store, ["--train-split", "test"]), ["keeps 0 rows"], out: model)
        // NaN in a feature: the loss is NaN at the first batch that holds it.
        let poisoned = try TrainTests.separableStore(in: root.appendingPathComponent("nan"), rows: 60, poison: 7)
        try refused(train(poisoned), ["training diverged: loss nan", "lower the learning rate"], out: model)

        // A checkpoint from another store, another model and another run.
        let folder = root.appendingPathComponent("checkpoints")
        XCTAssertEqual(try pipe(train(store, ["--checkpoint", folder.path])).status, 0)
        try FileManager.default.removeItem(at: model)
        let other = try TrainTests.separableStore(in: root.appendingPathComponent("b"), rows: 60)
        var manifest = try Manifest.load(from: other)
        manifest.configHash = "train-2"
        try manifest.write(to: other)
        try refused(train(other, ["--epochs", "2", "--checkpoint", folder.path, "--resume"]),
                    ["epoch-001.h5 does not fit: trained on a store of config hash"], out: model)
        try refused(["train", store.path, "--out", root.appendingPathComponent("m.json").path, "--checkpoint", folder.path, "--resume"],
                    ["no epoch-NNN.json checkpoint", "another model's checkpoints"], out: root.appendingPathComponent("m.json"))
        try refused(train(store, ["--epochs", "2", "--checkpoint", folder.path, "--resume", "--dropout", "0.5"]), ["other options"], out: model)

        // pipe predict: a model of other classes, a split with no rows, a file that is no model.
        let checkpoint = folder.appendingPathComponent("epoch-001.h5")
        let relabelled = root.appendingPathComponent("relabelled")
        try FileManager.default.copyItem(at: store, to: relabelled)
        var renamed = try Manifest.load(from: relabelled)
        renamed.classes = ["a", "b", "c"]
        try renamed.write(to: relabelled)
        let view = root.appendingPathComponent("predicted")
        try refused(["predict", checkpoint.path, relabelled.path, "--out", view.path], ["does not fit: the classes there are [a, b, c]"], out: view)
        try refused(["predict", checkpoint.path, store.path, "--out", view.path, "--split", "test"], ["no rows in split 'test' to predict"], out: view)
        let notModel = store.appendingPathComponent("shards/part-00000.h5")
        try refused(["predict", notModel.path, store.path, "--out", view.path], ["part-00000.h5", "no 'checkpoint' attribute"], out: view)
        let absent = root.appendingPathComponent("no-such-model.h5").path
        try refused(["predict", absent, store.path, "--out", view.path], [absent, "no such model file"], out: view)

        // A view whose parent moved, and a store whose shard is missing or altered (checksum).
        XCTAssertEqual(try pipe(["predict", checkpoint.path, store.path, "--out", view.path]).status, 0)
        let moved = root.appendingPathComponent("a-moved")
        try FileManager.default.moveItem(at: root.appendingPathComponent("a"), to: moved)
        try refused(train(view), [root.appendingPathComponent("a/store").path], out: model)
        try FileManager.default.moveItem(at: moved, to: root.appendingPathComponent("a"))
        XCTAssertEqual(try pipe(train(view)).status, 0, "the view reads again once its parent is back")
        try FileManager.default.removeItem(at: model)

        let shard = store.appendingPathComponent("shards/part-00001.h5")
        let bytes = try Data(contentsOf: shard)
        var altered = bytes
        altered[altered.count - 100] ^= 0xFF
        try altered.write(to: shard)
        try refused(train(store), ["checksum mismatch for \(shard.path)"], out: model)
        try refused(train(view), ["checksum mismatch for \(shard.path)"], out: model)
        try FileManager.default.removeItem(at: shard)
        try refused(train(store), ["missing file \(shard.path)"], out: model)
        try refused(["predict", checkpoint.path, store.path, "--out", root.appendingPathComponent("p2").path], ["missing file \(shard.path)"],
                    out: root.appendingPathComponent("p2"))
    }
}
