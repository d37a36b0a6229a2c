import Foundation
import Labels
import Pipeline
import Store
import TestSupport
import XCTest

/// The README's split and label-stage commands through the `pipe` executable on an ingested
/// synthetic CAS 2023 store: exit statuses, tables, reports, and refusals that write nothing.
final class SplitLabelsCLITests: XCTestCase {
    /// Runs the debug `pipe` (which `make test` builds first) from the repository folder.
    private func run(_ arguments: [String]) throws -> ProcessResult { try ProcessRunner.pipe(arguments) }

    func testSplitPseudoTeachersAndPlotFromTheCommandLine() throws {
        let fixture = try PipelineFixture(corpora: ["cas2023"], perClass: 1)
        defer { fixture.remove() }
        let store = fixture.url("store")
        _ = try Ingest.run(Ingest.Request(config: try PipelineFixture.config(corpora: ["cas2023"]),
                                          dataRoot: fixture.data, output: store, progress: .silent))
        let reader = try StoreReader(manifest: store)
        let splits = try reader.readStrings("meta/split")
        XCTAssertTrue(splits.contains("unlabeled") && splits.contains("train"), "\(Set(splits))")

        let split = try run(["split", "domain", store.path, "--within", "train", "--reference", store.path,
                                 "--reference-split", "unlabeled", "--fraction", "0.5", "--out", fixture.url("hard").path])
        XCTAssertEqual(split.status, 0, split.err)
        XCTAssertTrue(split.out.contains("valid-hard") && split.out.contains("How the split changes"), split.out)
        let hard = try StoreReader(manifest: fixture.url("hard"))
        let train = splits.filter { $0 == "train" }.count
        XCTAssertEqual(try hard.readStrings("meta/split").filter { $0 == "valid-hard" }.count, max(1, train / 2))

        let shuffle = try run(["split", "shuffle-metadata", fixture.url("hard").path, "--within", "valid-hard",
                                   "--fractions", "0.5,1", "--out", fixture.url("shuffled").path])
        XCTAssertEqual(shuffle.status, 0, shuffle.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.url("shuffled/100/manifest.json").path))

        // Predictions for the unlabeled rows, in the shared CSV format.
        let ids = try reader.readStrings("meta/id")
        let labels = try reader.readInt32("meta/label")
        let unlabeled = ids.indices.filter { labels[$0] == -1 }.map { ids[$0] }
        let classes = reader.classes
        let probabilities = unlabeled.indices.map { k in classes.indices.map { $0 == k % classes.count ? 0.55 : 0.45 / Double(classes.count - 1) } }
        let a = fixture.url("a.csv"), b = fixture.url("b.csv")
        try PredictionsFile(classes: classes, ids: unlabeled, probabilities: probabilities).write(to: a)
        try PredictionsFile(classes: classes, ids: unlabeled.reversed(), probabilities: probabilities).write(to: b)
        let pseudo = try run(["labels", "pseudo", store.path, "--predictions", a.path, "--second", b.path,
                                  "--top", "0.5", "--out", fixture.url("pseudo").path])
        XCTAssertEqual(pseudo.status, 0, pseudo.err)
        XCTAssertTrue(pseudo.out.contains("pseudo-1"), pseudo.out)
        let sources = try StoreReader(manifest: fixture.url("pseudo")).readStrings("meta/label_source")
        XCTAssertEqual(sources.filter { $0 == "pseudo-1" }.count, unlabeled.count / 2)

        // A repeated id: the file and the row are named, nothing is written.
        let text = try String(contentsOf: a, encoding: .utf8).split(separator: "\n")
        let bad = fixture.url("bad.csv")
        try (text + [text[1]]).joined(separator: "\n").write(to: bad, atomically: true, encoding: .utf8)
        let refused = try run(["labels", "pseudo", store.path, "--predictions", bad.path, "--second", b.path,
                                   "--out", fixture.url("refused").path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains(bad.path) && refused.err.contains("row \(text.count)"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.url("refused").path))

        let logits = fixture.url("t1.csv")
        try LogitsFile(classes: classes, ids: ids, logits: ids.indices.map { row in
            classes.indices.map { Double($0 == Int(max(0, labels[row])) ? 1 : 0) + Double(row % 3) * 0.1 } }).write(to: logits)
        let teachers = try run(["labels", "teachers", store.path, "--logits", logits.path, "--method", "average",
                                    "--out", fixture.url("kd").path])
        XCTAssertEqual(teachers.status, 0, teachers.err)
        XCTAssertTrue(teachers.out.contains("best single teacher"), teachers.out)

        let plot = try run(["plot", store.path, "--row", ids[0], "--out", fixture.url("plots/spec").path])
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/gnuplot") {
            XCTAssertEqual(plot.status, 0, plot.err)
            XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.url("plots/spec.svg").path))
        }
        let counts = try run(["plot", store.path, "--class-counts", "--out", fixture.url("plots/counts").path])
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/gnuplot") {
            XCTAssertEqual(counts.status, 0, counts.err)
            let svg = try String(contentsOf: fixture.url("plots/counts.svg"), encoding: .utf8)
            XCTAssertTrue(svg.contains("cas2023/unlabeled"), "the legend names corpus/split")
        }
        let missing = try run(["plot", store.path, "--row", "no-such-id", "--out", fixture.url("plots/none").path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("no row with meta/id 'no-such-id'"), missing.err)
    }
}
