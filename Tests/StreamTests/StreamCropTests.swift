import Foundation
import Store
import Stream
import TestSupport
import XCTest

/// Crops of variable-length rows: feature frames and frame targets cut at the same offset (8
/// feature frames per label frame, as hop 300 at 24 kHz against 100-ms labels), padding masked,
/// the same batches whatever the reader threads, and exact resume.
final class StreamCropTests: XCTestCase {
    static let ratio = 8
    static var packageFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/python")
    }
    /// Feature frames of row i: some longer than the 32-frame crop, one shorter (20), one exactly 32.
    static let lengths = [40, 100, 20, 64, 200, 32, 57, 88, 41, 120, 33, 75]
    static func labelFrames(_ i: Int) -> Int { lengths[i] / ratio }
    /// The frames a crop may use: no more than the label frames cover (57 frames → 7 labels → 56).
    static func usable(_ i: Int) -> Int { min(lengths[i], labelFrames(i) * ratio) }

    static let schema: [ColumnSpec] = [
        ColumnSpec(name: "features/foa", dtype: .float32, rowShape: [2, 3], timeAxis: 1, frameRate: 80),
        ColumnSpec(name: "targets/activity", dtype: .float32, rowShape: [2], timeAxis: 0, frameRate: 10),
        ColumnSpec(name: "meta/id", dtype: .string),
        ColumnSpec(name: "meta/label", dtype: .int32),
    ]

    /// Feature (c, t, f) of row i; target (l, k) of row i: every value names where it came from.
    static func feature(_ i: Int, _ c: Int, _ t: Int, _ f: Int) -> Float { Float(i * 100_000 + c * 10_000 + t * 10 + f) }
    static func target(_ i: Int, _ l: Int, _ k: Int) -> Float { Float(i * 1000 + l * 10 + k) + 0.5 }

    func store() throws -> URL {
        let store = try StreamFixture.temporaryDirectory(for: self).appendingPathComponent("store")
        let shards = store.appendingPathComponent("shards")
        var infos: [ShardInfo] = []
        var first = 0
        for (k, rows) in [5, 7].enumerated() {
            let writer = try ShardWriter(directory: shards, name: String(format: "part-%05d", k), schema: Self.schema, rowCount: rows)
            for n in 0..<rows {
                let i = first + n, t = Self.lengths[i]
                let features = (0..<2).flatMap { c in (0..<t).flatMap { f in (0..<3).map { Self.feature(i, c, f, $0) } } }
                let targets = (0..<Self.labelFrames(i)).flatMap { l in (0..<2).map { Self.target(i, l, $0) } }
                try writer.write(row: ["features/foa": .float32(features), "targets/activity": .float32(targets),
                                       "meta/id": .string("rec-\(i)"), "meta/label": .int32(Int32(i % 3))], at: n)
            }
            infos.append(try writer.commit().inFolder("shards"))
            first += rows
        }
        try Manifest(pipeline: "crop-test", configHash: "crop-1", createdBy: "StreamCropTests", columns: Self.schema,
                     classes: ["a", "b", "c"], shards: infos, rowCount: first).write(to: store)
        return store
    }

    func batches(_ url: URL, _ options: StreamOptions, epochs: Int, from position: StreamPosition? = nil) throws -> [Batch] {
        let stream = try BatchStream(table: StreamTable(manifest: url, options: options), epochs: epochs, from: position)
        var out: [Batch] = []
        while let batch = try stream.next() { out.append(batch) }
        return out
    }

    /// Every crop's features, mask and targets equal the stored row's at the crop's offset.
    func check(_ batch: Batch, crop: Int, file: StaticString = #filePath, line: UInt = #line) {
        let labelFrames = crop / Self.ratio
        XCTAssertEqual(batch.shape, [batch.count, 2, crop, 3], file: file, line: line)
        XCTAssertEqual(batch.targetShape, [labelFrames, 2], file: file, line: line)
        XCTAssertEqual(batch.targetWidth, labelFrames * 2, file: file, line: line)
        guard let starts = batch.starts, let mask = batch.mask, let targets = batch.targets else {
            return XCTFail("no starts, mask or targets", file: file, line: line)
        }
        for b in 0..<batch.count {
            // The store row, by id: for a view, batch.rows are the view's rows.
            guard let row = Int(batch.ids[b].dropFirst("rec-".count)) else { return XCTFail("id \(batch.ids[b])", file: file, line: line) }
            let start = starts[b], length = Self.usable(row)
            XCTAssertEqual(start % Self.ratio, 0, "crop on the label grid", file: file, line: line)
            let real = max(0, min(crop, length - start))
            for t in 0..<crop {
                XCTAssertEqual(mask[b * crop + t], t < real ? 1 : 0, "mask row \(row) frame \(t)", file: file, line: line)
                for c in 0..<2 {
                    for f in 0..<3 {
                        let value = batch.features[((b * 2 + c) * crop + t) * 3 + f]
                        XCTAssertEqual(value, t < real ? Self.feature(row, c, start + t, f) : 0, file: file, line: line)
                    }
                }
            }
            for l in 0..<labelFrames {
                for k in 0..<2 {
                    let label = start / Self.ratio + l
                    let expected = label < Self.labelFrames(row) && l * Self.ratio < real ? Self.target(row, label, k) : 0
                    XCTAssertEqual(targets[(b * labelFrames + l) * 2 + k], expected, "row \(row) label \(label)", file: file, line: line)
                }
            }
        }
    }

    func testRandomCropsCutFeaturesAndTargetsAtTheSameOffset() throws {
        let url = try store()
        let options = StreamOptions(features: "features/foa", labels: .both("activity"), batchSize: 4, seed: 3, readers: 1,
                                    crop: FrameCrop(frames: 32))
        let all = try batches(url, options, epochs: 3)
        XCTAssertEqual(all.count, 9)
        var offsets: [Int: Set<Int>] = [:]
        for batch in all {
            check(batch, crop: 32)
            for (row, start) in zip(batch.rows, batch.starts ?? []) { offsets[row, default: []].insert(start) }
        }
        XCTAssertEqual(Set(all.prefix(3).flatMap(\.rows)), Set(0..<12), "every row once an epoch")
        XCTAssertEqual(offsets[4]?.count ?? 0 > 1, true, "a 200-frame row is cropped at different offsets across epochs: \(offsets)")
        XCTAssertEqual(offsets[2], [0], "a row shorter than the crop starts at 0, padded")
        // The same batches with three reader threads, and after a resume mid-epoch.
        var threaded = options
        threaded.readers = 3
        threaded.prefetch = 5
        XCTAssertEqual(try batches(url, threaded, epochs: 3), all)
        let stream = try BatchStream(table: StreamTable(manifest: url, options: options), epochs: 3)
        for _ in 0..<4 { _ = try stream.next() }
        XCTAssertEqual(try batches(url, threaded, epochs: 3, from: stream.position), Array(all.dropFirst(4)))
        var other = options
        other.seed = 4
        XCTAssertNotEqual(try batches(url, other, epochs: 1).map(\.starts), all.prefix(3).map(\.starts))
    }

    func testSlidingCropsCoverEveryWindowOfEveryRow() throws {
        let url = try store()
        let options = StreamOptions(features: "features/foa", labels: .soft("activity"), batchSize: 5, dropLast: false, seed: 1,
                                    readers: 2, crop: FrameCrop(frames: 32, mode: .sliding(hop: 16)))
        let all = try batches(url, options, epochs: 1)
        var windows: [String] = []
        for batch in all {
            check(batch, crop: 32)
            windows += zip(batch.rows, batch.starts ?? []).map { "\($0)@\($1)" }
        }
        var expected: [String] = []
        for row in Self.lengths.indices {
            let length = Self.usable(row)
            var start = 0
            repeat { expected.append("\(row)@\(start)"); start += 16 } while start - 16 + 32 < length
        }
        XCTAssertEqual(windows.sorted(), expected.sorted())
        XCTAssertTrue(windows.contains("4@176") && !windows.contains("4@192"), "the last window of 200 frames starts at 176, padded")
        XCTAssertTrue(windows.contains("10@0") && !windows.contains("10@16"), "33 frames, 4 label frames: one window")
    }

    func testVariableLengthColumnsNeedAFittingCrop() throws {
        let url = try store()
        func refused(_ options: StreamOptions, _ words: String) {
            XCTAssertThrowsError(try StreamTable(manifest: url, options: options)) { XCTAssertTrue("\($0)".contains(words), "\($0)") }
        }
        refused(StreamOptions(features: "features/foa", batchSize: 2), "fixed-length crops")
        refused(StreamOptions(features: "features/foa", labels: .soft("activity"), batchSize: 2, crop: FrameCrop(frames: 30)),
                "not a whole number of label frames")
        refused(StreamOptions(features: "features/foa", labels: .soft("activity"), batchSize: 2,
                              crop: FrameCrop(frames: 32, mode: .sliding(hop: 12))), "sliding hop 12")
        refused(StreamOptions(features: "features/foa", batchSize: 2, crop: FrameCrop(frames: 0)), "at least 1 frame")
        // Without frame targets any crop length is fine.
        XCTAssertNoThrow(try StreamTable(manifest: url, options: StreamOptions(features: "features/foa", batchSize: 2, crop: FrameCrop(frames: 30))))
    }

    /// acousticpipe's `t.batches(..., crop=T[, crop_hop=H])` yields the Swift stream's crops: the same
    /// rows, offsets, features, frame targets and mask, over a store and a view.
    func testPythonCropsEqualTheSwiftStreams() throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let check = try ProcessRunner.run(python, ["-c", "import h5py, numpy"])
        if check.status != 0 { throw XCTSkip("/usr/bin/python3 has no h5py/numpy: \(check.err)") }
        let url = try store()
        let view = url.deletingLastPathComponent().appendingPathComponent("view")
        let kept = [0, 1, 2, 4, 6, 7, 9, 10, 11]   // row 2 (20 frames) is padded
        let writer = try ViewWriter(parent: StoreReader(manifest: url), directory: view, stage: "v", configHash: "v1", rows: kept,
                                    columns: [ColumnSpec(name: "meta/label", dtype: .int32)])
        for n in kept.indices { try writer.append(["meta/label": .int32(Int32(n % 2))]) }
        _ = try writer.commit()
        let script = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import acousticpipe
        out = []
        for case in json.loads(sys.argv[2]):
            t = acousticpipe.open(case.pop("path"))
            batches = []
            for epoch in range(2):
                for b in t.batches(case["batch_size"], columns=["features/foa", "targets/activity"], seed=case["seed"], epoch=epoch,
                                   drop_last=False, crop=32, crop_hop=case.get("hop")):
                    batches.append({"ids": b["meta/id"].tolist(), "starts": b["starts"].tolist(),
                                    "features": b["features/foa"].reshape(-1).tolist(),
                                    "targets": b["targets/activity"].reshape(-1).tolist(), "mask": b["mask"].reshape(-1).tolist()})
            out.append(batches)
            t.close()
        print(json.dumps(out))
        """
        struct PyBatch: Decodable, Equatable { var ids: [String]; var starts: [Int]; var features: [Float]; var targets: [Float]; var mask: [Float] }
        var cases: [[String: Any]] = []
        var expected: [[PyBatch]] = []
        for (path, hop, seed) in [(url, nil, UInt64(7)), (view, nil, 8), (url, 16, 9), (view, 24, 10)] as [(URL, Int?, UInt64)] {
            let options = StreamOptions(features: "features/foa", labels: .soft("activity"), batchSize: 3, dropLast: false, seed: seed,
                                        crop: FrameCrop(frames: 32, mode: hop.map { .sliding(hop: $0) } ?? .random))
            let swift = try batches(path, options, epochs: 2)
            for batch in swift { self.check(batch, crop: 32) }
            expected.append(swift.map {
                PyBatch(ids: $0.ids, starts: $0.starts ?? [], features: $0.features, targets: $0.targets ?? [], mask: $0.mask ?? [])
            })
            var entry: [String: Any] = ["path": path.path, "batch_size": 3, "seed": seed]
            if let hop { entry["hop"] = hop }
            cases.append(entry)
        }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: cases), as: UTF8.self)
        let run = try ProcessRunner.run(python, ["-B", "-c", script, Self.packageFolder.path, text])
        XCTAssertEqual(run.status, 0, run.err)
        let got = try JSONDecoder().decode([[PyBatch]].self, from: Data(run.out.utf8))
        XCTAssertEqual(got.count, expected.count)
        for (k, (a, b)) in zip(got, expected).enumerated() {
            XCTAssertGreaterThanOrEqual(b.count, 6, "case \(k): two epochs of 9 or more crops in batches of 3")
            XCTAssertTrue(b.contains { $0.mask.contains(0) }, "case \(k) pads a short recording")
            XCTAssertEqual(a.count, b.count, "case \(k)")
            for (n, (x, y)) in zip(a, b).enumerated() { XCTAssertEqual(x, y, "case \(k) batch \(n)") }
        }
    }
}
