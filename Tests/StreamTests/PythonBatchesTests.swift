import Foundation
import Store
import Stream
import TestSupport
import XCTest

/// `acousticpipe` (Debian's /usr/bin/python3 with numpy and h5py) yields the same rows in the same
/// batches as the Swift stream for the same options: shuffled, filtered, partitioned, weighted,
/// over a store and over a view; its features equal the Swift batch's bytes; its state resumes.
final class PythonBatchesTests: XCTestCase {
    private static let python = "/usr/bin/python3"

    private static var packageFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/python")
    }

    private static let script = """
    import json, sys
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    import acousticpipe
    out = []
    for case in json.loads(sys.argv[2]):
        t = acousticpipe.open(case.pop("path"))
        size = case.pop("batch_size")
        it = t.batches(size, columns=["features/logmel", "meta/label"], **case)
        batches = [b for b in it]
        resumed_from = None
        if len(batches) > 2:
            head = t.batches(size, columns=["features/logmel", "meta/label"], **case)
            next(head); next(head)
            state = head.state()
            rest = [b["meta/id"].tolist() for b in t.batches(size, columns=["features/logmel", "meta/label"], state=state, **case)]
            resumed_from = rest == [b["meta/id"].tolist() for b in batches[2:]]
        dataset = acousticpipe.BatchDataset(t.manifest.path, size, columns=["features/logmel", "meta/label"], **case)
        same_dataset = [b["meta/id"].tolist() for b in dataset] == [b["meta/id"].tolist() for b in batches]
        out.append({"ids": [b["meta/id"].tolist() for b in batches], "dataset": same_dataset,
                    "first": batches[0]["features/logmel"].reshape(-1).tolist(),
                    "labels": batches[0]["meta/label"].tolist(),
                    "resumed": resumed_from})
        t.close()
    print(json.dumps(out))
    """

    private struct Case {
        var path: URL
        var options: StreamOptions
        var epoch: Int
        var python: [String: Any]
    }

    func testPythonGivesTheSwiftStreamsOrder() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else { throw XCTSkip("no \(Self.python)") }
        let root = try StreamFixture.temporaryDirectory(for: self)
        let store = try StreamFixture.makeStore(in: root)
        let view = root.appendingPathComponent("views/odd")
        let kept = Array(stride(from: 1, to: 80, by: 2))
        let writer = try ViewWriter(parent: StoreReader(manifest: store), directory: view, stage: "odd", configHash: "odd-1",
                                    rows: kept, columns: [ColumnSpec(name: "meta/label", dtype: .int32)])
        for row in kept { try writer.append(["meta/label": .int32(Int32(row % 3))]) }
        _ = try writer.commit()

        func options(_ batch: Int, seed: UInt64, buffer: Int = 4096, rank: Int = 0, world: Int = 1, dropLast: Bool = true,
                     shuffle: Bool = true, filter: RowFilter = .all, sampling: Sampling = .natural) -> StreamOptions {
            StreamOptions(features: "features/logmel", filter: filter, batchSize: batch, dropLast: dropLast, shuffle: shuffle,
                          seed: seed, shuffleBuffer: buffer, sampling: sampling, rank: rank, world: world)
        }
        let cases: [Case] = [
            Case(path: store, options: options(8, seed: 1), epoch: 0,
                 python: ["batch_size": 8, "seed": 1]),
            Case(path: store, options: options(5, seed: 2, buffer: 7, rank: 1, world: 3, dropLast: false), epoch: 3,
                 python: ["batch_size": 5, "seed": 2, "shuffle_buffer": 7, "rank": 1, "world": 3, "drop_last": false, "epoch": 3]),
            Case(path: store, options: options(4, seed: 9, filter: RowFilter(splits: ["train"], labeled: true, variants: [0])), epoch: 1,
                 python: ["batch_size": 4, "seed": 9, "epoch": 1, "where": ["split": "train", "labeled": true, "variant": 0]]),
            Case(path: store, options: options(3, seed: 4, filter: RowFilter(classes: ["b"], corpora: ["corpus-a"])), epoch: 0,
                 python: ["batch_size": 3, "seed": 4, "where": ["class": ["b"], "corpus": "corpus-a"]]),
            Case(path: store, options: options(6, seed: 5, sampling: .balanced), epoch: 2,
                 python: ["batch_size": 6, "seed": 5, "epoch": 2, "sampling": "balanced"]),
            Case(path: store, options: options(6, seed: 5, shuffle: false), epoch: 0,
                 python: ["batch_size": 6, "seed": 5, "shuffle": false]),
            Case(path: view, options: options(4, seed: 6, buffer: 5, rank: 0, world: 2), epoch: 1,
                 python: ["batch_size": 4, "seed": 6, "shuffle_buffer": 5, "rank": 0, "world": 2, "epoch": 1]),
        ]
        let json = try JSONSerialization.data(withJSONObject: cases.map { $0.python.merging(["path": $0.path.path]) { a, _ in a } })
        let ran = try ProcessRunner.run(URL(fileURLWithPath: Self.python),
                                        ["-c", Self.script, Self.packageFolder.path, String(decoding: json, as: UTF8.self)])
        XCTAssertEqual(ran.status, 0, ran.err)
        let data = Data(ran.out.utf8)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(results.count, cases.count)
        for (n, (item, result)) in zip(cases, results).enumerated() {
            let table = try StreamTable(manifest: item.path, options: item.options)
            let stream = try BatchStream(table: table, epochs: item.epoch + 1, from:
                StreamPosition(epoch: item.epoch, seed: item.options.seed, rank: item.options.rank, world: item.options.world))
            var swift: [Batch] = []
            while let batch = try stream.next() { swift.append(batch) }
            XCTAssertFalse(swift.isEmpty)
            XCTAssertEqual(result["ids"] as? [[String]], swift.map(\.ids), "case \(n)")
            XCTAssertEqual((result["first"] as? [Double])?.map(Float.init), swift[0].features, "case \(n)")
            XCTAssertEqual((result["labels"] as? [Int])?.map(Int32.init), swift[0].labels, "case \(n)")
            XCTAssertEqual(result["dataset"] as? Bool, true, "case \(n): BatchDataset (no torch) yields the same batches")
            if swift.count > 2 { XCTAssertEqual(result["resumed"] as? Bool, true, "case \(n)") }
        }
    }
}
