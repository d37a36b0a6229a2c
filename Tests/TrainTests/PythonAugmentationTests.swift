import Foundation
import Stream
import TestSupport
@testable import Train
import XCTest

/// `t.batches(..., mixup=, freq_mixstyle=, freq_mask=, time_mask=, freq_shift=)` in Debian's python3
/// draws what the Swift stream draws for the same (seed, epoch, batch, rank): its batches equal the
/// Swift stream's with `OnlineAugmentation` byte for byte (Freq-MixStyle, whose statistics numpy
/// sums in another order, to float32 rounding); and a `torch` IterableDataset works through a
/// stand-in `torch` module.
final class PythonAugmentationTests: XCTestCase {
    private static let script = """
    import base64, json, sys
    import numpy as np
    import acousticpipe
    t = acousticpipe.open(sys.argv[1])
    options = json.loads(sys.argv[2])
    out = []
    for epoch in range(2):
        for b in t.batches(16, columns=["features/logmel", "meta/label"], seed=11, epoch=epoch,
                           where={"split": "train", "labeled": True}, **options):
            out.append({"ids": b["meta/id"].tolist(),
                        "x": base64.b64encode(b["features/logmel"].astype("<f4").tobytes()).decode(),
                        "y": base64.b64encode(b["targets/mixup"].astype("<f4").tobytes()).decode() if "targets/mixup" in b else None})
    print(json.dumps(out))
    """

    private func floats(_ text: String) -> [Float] {
        let data = Data(base64Encoded: text)!
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    private func compare(_ augmentation: OnlineAugmentation, python options: [String: Any], tolerance: Float,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let root = try TemporaryFolder.forTest(self)
        let store = try TrainTests.separableStore(in: root)
        let stream = try BatchStream(table: StreamTable(manifest: store, options: StreamOptions(
            features: "features/logmel", filter: RowFilter(splits: ["train"], labeled: true), batchSize: 16, seed: 11)),
            epochs: 2, transforms: augmentation.transforms(classes: 3))
        var swift: [StreamBatch] = []
        while let batch = try stream.next() { swift.append(batch) }
        let json = String(data: try JSONSerialization.data(withJSONObject: options), encoding: .utf8)!
        let output = try ProcessRunner.readerPython(Self.script, arguments: [store.path, json], file: file, line: line)
        let python = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]], file: file, line: line)
        XCTAssertEqual(python.count, swift.count, file: file, line: line)
        var worst: Float = 0
        for (p, s) in zip(python, swift) {
            XCTAssertEqual(p["ids"] as? [String], s.ids, file: file, line: line)
            let x = floats(p["x"] as! String)
            XCTAssertEqual(x.count, s.features.count, file: file, line: line)
            for (a, b) in zip(x, s.features) { worst = max(worst, abs(a - b)) }
            if tolerance == 0 { XCTAssertEqual(x, s.features, "batch \(s.epoch)/\(s.index)", file: file, line: line) }
            if augmentation.mixupAlpha != nil {
                XCTAssertEqual(floats(try XCTUnwrap(p["y"] as? String)), s.targets, "mixed targets \(s.epoch)/\(s.index)", file: file, line: line)
            }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, file: file, line: line)
        XCTAssertNotEqual(swift[0].features, swift[swift.count / 2].features, file: file, line: line)
    }

    func testPythonDrawsEqualTheSwiftStreamsBitForBit() throws {
        try compare(OnlineAugmentation(mixupAlpha: 0.3, freqMask: 3, timeMask: 5, freqShift: 3),
                    python: ["mixup": 0.3, "freq_mask": 3, "time_mask": 5, "freq_shift": 3], tolerance: 0)
    }

    func testPythonFreqMixStyleEqualsTheSwiftStreamsToRounding() throws {
        // p 1: every batch is mixed, so the comparison covers the statistics, not only the gate.
        try compare(OnlineAugmentation(mixupAlpha: 0.2, freqMixStyleAlpha: 0.3, freqMixStyleP: 1, freqShift: 4),
                    python: ["mixup": 0.2, "freq_mixstyle": [0.3, 1.0], "freq_shift": 4], tolerance: 1e-3)
    }

    /// Without torch the package imports and `BatchDataset` iterates as a plain iterable; with a
    /// stand-in `torch.utils.data` (IterableDataset, get_worker_info) on sys.path it subclasses
    /// IterableDataset, opens its files inside `__iter__`, and two "workers" split the batches.
    func testBatchDatasetWithAndWithoutTorch() throws {
        let root = try TemporaryFolder.forTest(self)
        let store = try TrainTests.separableStore(in: root)
        let fake = root.appendingPathComponent("fake")
        _ = try TemporaryFolder.write(in: fake, "", to: "torch/__init__.py")
        _ = try TemporaryFolder.write(in: fake, "", to: "torch/utils/__init__.py")
        _ = try TemporaryFolder.write(in: fake, """
        class IterableDataset:
            pass
        class _Info:
            def __init__(self, id, num_workers):
                self.id, self.num_workers = id, num_workers
        current = None
        def get_worker_info():
            return current
        """, to: "torch/utils/data/__init__.py")
        let script = """
        import json, sys
        with_torch = sys.argv[2] == "torch"
        if with_torch:
            sys.path.insert(0, sys.argv[3])
        import acousticpipe
        has_torch = "torch" in sys.modules
        ds = acousticpipe.BatchDataset(sys.argv[1], 16, columns=["features/logmel", "meta/label"], seed=5,
                                       where={"split": "train"}, mixup=0.3)
        plain = [b["meta/id"].tolist() for b in acousticpipe.open(sys.argv[1]).batches(16, columns=["features/logmel", "meta/label"],
                                                                                       seed=5, where={"split": "train"})]
        result = {"torch": has_torch, "all": [b["meta/id"].tolist() for b in ds] == plain,
                  "mixed": all("targets/mixup" in b for b in ds)}
        if with_torch:
            import torch.utils.data as data
            result["subclass"] = isinstance(ds, data.IterableDataset)
            shares = []
            for worker in range(2):
                data.current = data._Info(worker, 2)
                shares.append([b["meta/id"].tolist() for b in ds])
            data.current = None
            result["split"] = shares[0] == plain[0::2] and shares[1] == plain[1::2]
        print(json.dumps(result))
        """
        let without = try ProcessRunner.readerPython(script, arguments: [store.path, "none"])
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(without.utf8)) as? [String: Bool],
                       ["torch": false, "all": true, "mixed": true])
        let with = try ProcessRunner.readerPython(script, arguments: [store.path, "torch", fake.path])
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(with.utf8)) as? [String: Bool],
                       ["torch": true, "all": true, "mixed": true, "subclass": true, "split": true])
    }
}
