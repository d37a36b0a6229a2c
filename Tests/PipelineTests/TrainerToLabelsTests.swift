import Foundation
import Labels
import Pipeline
import Store
import TestSupport
import XCTest

/// The trainer's outputs consumed by the label and report stages through the `pipe` executable:
/// `pipe predict`'s CSVs by `pipe labels pseudo`, HDF5 teacher logits by `pipe labels teachers`,
/// and the confusion plot of `pipe evaluate`.
final class TrainerToLabelsTests: XCTestCase {
    /// A synthetic CAS 2023 store (10 labeled, 20 unlabeled rows) in a fresh fixture.
    private func ingestedStore() throws -> (PipelineFixture, URL) {
        let fixture = try PipelineFixture(corpora: ["cas2023"], perClass: 1)
        let store = fixture.url("store")
        _ = try Ingest.run(Ingest.Request(config: try PipelineFixture.config(corpora: ["cas2023"]),
                                          dataRoot: fixture.data, output: store, progress: .silent))
        return (fixture, store)
    }

    private func pipe(_ arguments: [String]) throws -> ProcessResult {
        let result = try ProcessRunner.pipe(arguments)
        XCTAssertEqual(result.status, 0, "pipe \(arguments.joined(separator: " ")): \(result.err)")
        return result
    }

    func testPseudoLabelsConsumeTheTrainersPredictions() throws {
        let (fixture, store) = try ingestedStore()
        defer { fixture.remove() }
        let reader = try StoreReader(manifest: store)
        let ids = try reader.readStrings("meta/id")
        let labels = try reader.readInt32("meta/label")
        let unlabeled = ids.indices.filter { labels[$0] == -1 }
        XCTAssertEqual(unlabeled.count, 20)

        for seed in ["1", "2"] {
            _ = try pipe(["train", store.path, "--features", "features/logmel64", "--epochs", "3", "--batch", "4", "--seed", seed, "--valid-split", "none",
                          "--out", fixture.url("model-\(seed).json").path])
            _ = try pipe(["predict", fixture.url("model-\(seed).json").path, store.path, "--split", "unlabeled",
                          "--out", fixture.url("predicted-\(seed)").path, "--csv", fixture.url("p\(seed).csv").path])
        }
        let a = try PredictionsFile.read(fixture.url("p1.csv"))
        let b = try PredictionsFile.read(fixture.url("p2.csv"))
        XCTAssertEqual(Set(a.ids), Set(unlabeled.map { ids[$0] }), "pipe predict --split unlabeled covers the unlabeled rows")
        XCTAssertEqual(a.classes, reader.classes)

        let run = try pipe(["labels", "pseudo", store.path, "--predictions", fixture.url("p1.csv").path,
                            "--second", fixture.url("p2.csv").path, "--top", "0.9", "--out", fixture.url("pseudo").path])
        XCTAssertTrue(run.out.contains("pseudo-1"), run.out)

        // What the two CSVs imply: ⌊0.9·20⌋ = 18 most confident by A (ties by id), then agreement.
        let n = a.ids.count
        let order = a.ids.indices.sorted { i, j in
            a.confidence[i] != a.confidence[j] ? a.confidence[i] > a.confidence[j] : a.ids[i] < a.ids[j]
        }
        let step1 = Set(order.prefix(n * 9 / 10).map { a.ids[$0] })
        XCTAssertEqual(step1.count, 18)
        let bPredicted = Dictionary(uniqueKeysWithValues: zip(b.ids, b.predicted))
        let step2 = Set(a.ids.indices.filter { !step1.contains(a.ids[$0]) && a.predicted[$0] == bPredicted[a.ids[$0]] }.map { a.ids[$0] })
        let aPredicted = Dictionary(uniqueKeysWithValues: zip(a.ids, a.predicted))
        let aConfidence = Dictionary(uniqueKeysWithValues: zip(a.ids, a.confidence))

        let view = try StoreReader(manifest: fixture.url("pseudo"))
        let viewIDs = try view.readStrings("meta/id")
        XCTAssertEqual(viewIDs, ids)
        let sources = try view.readStrings(PseudoLabels.sourceColumn)
        let newLabels = try view.readInt32("meta/label")
        let confidence = try view.readColumn(PseudoLabels.confidenceColumn)
        var expectedSources: [String: Int] = [:]
        for (row, id) in viewIDs.enumerated() {
            let expected = labels[row] >= 0 ? "real" : step1.contains(id) ? "pseudo-1" : step2.contains(id) ? "pseudo-2" : "none"
            expectedSources[expected, default: 0] += 1
            XCTAssertEqual(sources[row], expected, id)
            switch expected {
            case "real": XCTAssertEqual(newLabels[row], labels[row], id)
            case "none": XCTAssertEqual(newLabels[row], -1, id)
            default:
                XCTAssertEqual(newLabels[row], Int32(aPredicted[id]!), id)
                guard case .float32(let value) = confidence[row] else { return XCTFail("confidence is not float32") }
                XCTAssertEqual(Double(value[0]), aConfidence[id]!, accuracy: 1e-6, id)
            }
        }
        XCTAssertEqual(expectedSources["real"], 10)
        XCTAssertEqual(expectedSources["pseudo-1"], 18)
        XCTAssertEqual(expectedSources["pseudo-2", default: 0], step2.count)
        XCTAssertEqual(expectedSources["none", default: 0], 2 - step2.count)
    }

    /// Writes an HDF5 logits file with h5py (the Python side a PyTorch teacher uses).
    private func writeHDF5(_ url: URL, ids: [String], logits: [[Double]]) throws {
        let script = """
        import json, sys, h5py, numpy as np
        spec = json.load(open(sys.argv[2]))
        with h5py.File(sys.argv[1], "w") as f:
            f.create_dataset("id", data=np.array(spec["ids"], dtype=object), dtype=h5py.string_dtype("utf-8"))
            f.create_dataset("logits", data=np.array(spec["logits"], dtype=np.float32).reshape(len(spec["ids"]), -1))
        """
        let json = url.deletingPathExtension().appendingPathExtension("json")
        try JSONSerialization.data(withJSONObject: ["ids": ids, "logits": logits]).write(to: json)
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, url.path, json.path])
        XCTAssertEqual(result.status, 0, result.err)
    }

    func testTeachersReadHDF5LogitsAndNameABadFile() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("no /usr/bin/python3 with h5py") }
        let (fixture, store) = try ingestedStore()
        defer { fixture.remove() }
        let reader = try StoreReader(manifest: store)
        let ids = try reader.readStrings("meta/id")
        let labels = try reader.readInt32("meta/label")
        let classes = reader.classes
        // Teacher 1 right on every labeled row, teacher 2 uniform: the fused targets must follow teacher 1.
        let right = ids.indices.map { row in classes.indices.map { $0 == Int(max(0, labels[row])) ? 2.0 : 0.0 } }
        let flat = ids.indices.map { _ in classes.indices.map { _ in 0.0 } }
        let t1 = fixture.url("t1.h5"), t2 = fixture.url("t2.h5")
        try writeHDF5(t1, ids: ids.reversed(), logits: right.reversed())
        try writeHDF5(t2, ids: ids, logits: flat)
        let run = try pipe(["labels", "teachers", store.path, "--logits", t1.path, t2.path, "--method", "average",
                            "--out", fixture.url("kd").path])
        XCTAssertTrue(run.out.contains("best single teacher"), run.out)
        let view = try StoreReader(manifest: fixture.url("kd"))
        let targets = try view.readColumn("targets/teachers")
        XCTAssertEqual(targets.count, ids.count)
        for row in ids.indices where labels[row] >= 0 {
            guard case .float32(let p) = targets[row] else { return XCTFail("targets/teachers is not float32") }
            XCTAssertEqual(p.indices.max { p[$0] < p[$1] }, Int(labels[row]), "row \(row): averaged logits follow teacher 1")
        }

        // An id the view lacks, and logits of the wrong width: refused, naming the file; nothing written.
        let wrongID = fixture.url("wrong-id.h5")
        try writeHDF5(wrongID, ids: ["no-such-row"] + ids.dropFirst(), logits: flat)
        let refused = try ProcessRunner.pipe(["labels", "teachers", store.path, "--logits", t1.path, wrongID.path,
                                              "--method", "average", "--out", fixture.url("refused").path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains(wrongID.path) && refused.err.contains("no-such-row"), refused.err)
        let narrow = fixture.url("narrow.h5")
        try writeHDF5(narrow, ids: ids, logits: ids.indices.map { _ in [0.0, 1.0] })
        let shape = try ProcessRunner.pipe(["labels", "teachers", store.path, "--logits", narrow.path,
                                            "--method", "average", "--out", fixture.url("refused").path])
        XCTAssertNotEqual(shape.status, 0)
        XCTAssertTrue(shape.err.contains(narrow.path) && shape.err.contains("[\(ids.count), \(classes.count)]"), shape.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.url("refused").path))
    }

    func testEvaluateWritesTheConfusionPlot() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gnuplot") else { throw XCTSkip("gnuplot is not installed (make deps)") }
        let (fixture, store) = try ingestedStore()
        defer { fixture.remove() }
        _ = try pipe(["train", store.path, "--features", "features/logmel64", "--epochs", "2", "--batch", "4", "--valid-split", "none",
                      "--out", fixture.url("model.json").path])
        _ = try pipe(["predict", fixture.url("model.json").path, store.path, "--split", "train", "--out", fixture.url("predicted").path,
                      "--csv", fixture.url("p.csv").path])
        let out = fixture.url("evaluation")
        _ = try pipe(["evaluate", fixture.url("p.csv").path, store.path, "--split", "train", "--out", out.path])
        let png = try Data(contentsOf: out.appendingPathComponent("confusion.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertGreaterThan(png.count, 1000)
        let svg = try String(contentsOf: out.appendingPathComponent("confusion.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg") && svg.contains("</svg>"), String(svg.prefix(200)))
        let classes = try StoreReader(manifest: store).classes
        XCTAssertTrue(svg.contains(classes[0]), "the axes name the classes")
        // The CSV beside it is still written, and a second run refuses to replace the plot.
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("confusion.csv").path))
        let again = try ProcessRunner.pipe(["evaluate", fixture.url("p.csv").path, store.path, "--out", out.path])
        XCTAssertNotEqual(again.status, 0)
    }
}
