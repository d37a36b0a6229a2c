import Corpora
import Foundation
import Labels
import Pipeline
import Store
import TestSupport
import XCTest

/// What a store tells a researcher without custom code: a normalised split beside the corpus's
/// own word, reports/ with counts and normalisation statistics, a dataset card naming the shards,
/// and the same for a view.
final class StoreReportsTests: XCTestCase {
    var fixture: PipelineFixture!

    override func setUpWithError() throws { fixture = try PipelineFixture() }
    override func tearDown() { fixture.remove() }

    private func ingest() throws -> Ingest.Result {
        try Ingest.run(Ingest.Request(config: try PipelineFixture.config(), dataRoot: fixture.data,
                                      output: fixture.url("store"), threads: 2, progress: .silent))
    }

    func testSplitIsNormalisedAndTheCorpusWordKeptBeside() throws {
        let result = try ingest()
        let reader = try StoreReader(manifest: result.manifestURL)
        let corpora = try reader.readStrings("meta/source")
        let splits = try reader.readStrings("meta/split")
        let words = try reader.readStrings("meta/corpus_split")
        let labels = try reader.readInt32("meta/label")
        var pairs = Set<String>()
        for i in 0..<reader.rowCount {
            pairs.insert("\(corpora[i]) \(words[i]) \(labels[i] >= 0 ? "labeled" : "unlabeled") -> \(splits[i])")
            XCTAssertEqual(splits[i] == "unlabeled", labels[i] == -1, "row \(i): \(splits[i]) with label \(labels[i])")
        }
        XCTAssertEqual(pairs, [
            "tau2020 train labeled -> train", "tau2020 evaluate labeled -> test", "tau2020 unused labeled -> unused",
            "cochlscene Train labeled -> train", "cochlscene Val labeled -> validation", "cochlscene Test labeled -> test",
            "cas2023 dev labeled -> train", "cas2023 dev unlabeled -> unlabeled", "cas2023 eval unlabeled -> unlabeled",
        ])
        // The manifest's counts use the normalised split.
        let manifest = try Manifest.load(from: result.manifestURL)
        XCTAssertEqual(Set(manifest.counts.map(\.split)), ["train", "validation", "test", "unlabeled", "unused"])
        XCTAssertEqual(FolderRecipe().datasetSplit(of: Recording(id: "x", corpus: "folder", path: "", label: "a",
                                                                 split: "all")), .train)
    }

    func testReportsCountRowsAndGiveTrainStatistics() throws {
        let result = try ingest()
        let reader = try StoreReader(manifest: result.manifestURL)

        let counts = try CSVRows(fixture.url("store/reports/class_counts.csv"))
        XCTAssertEqual(counts.header, ["corpus", "class", "split", "corpus_split", "rows"])
        XCTAssertEqual(counts.sum("rows"), reader.rowCount)
        let labels = try reader.readInt32("meta/label")
        let sources = try reader.readStrings("meta/source")
        let splits = try reader.readStrings("meta/split")
        let words = try reader.readStrings("meta/corpus_split")
        for row in counts.rows {
            let n = (0..<reader.rowCount).filter { i in
                sources[i] == row["corpus"] && splits[i] == row["split"] && words[i] == row["corpus_split"]
                    && (labels[i] >= 0 ? reader.classes[Int(labels[i])] : "") == row["class"]
            }.count
            XCTAssertEqual(Int(row["rows"] ?? ""), n, "\(row)")
        }

        // Mean and std per bin over the train rows, recomputed here in the plainest way.
        let stats = try CSVRows(fixture.url("store/reports/feature_stats.csv"))
        XCTAssertEqual(stats.header, ["feature", "channel", "bin", "count", "mean", "std"])
        XCTAssertEqual(stats.rows.count, 64)
        let train = (0..<reader.rowCount).filter { splits[$0] == "train" }
        XCTAssertGreaterThan(train.count, 3)
        let frames = 51, bins = 64
        var sums = [Double](repeating: 0, count: bins)
        var values = [[Double]](repeating: [], count: bins)
        for i in train {
            let x = try XCTUnwrap(try reader.readRow(i, columns: ["features/logmel64"]).floats("features/logmel64"))
            for t in 0..<frames { for f in 0..<bins { sums[f] += Double(x[t * bins + f]); values[f].append(Double(x[t * bins + f])) } }
        }
        for row in stats.rows {
            let f = try XCTUnwrap(Int(row["bin"] ?? ""))
            let n = Double(train.count * frames)
            let mean = sums[f] / n
            let std = (values[f].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            XCTAssertEqual(row["count"], String(train.count * frames))
            XCTAssertEqual(try XCTUnwrap(Double(row["mean"] ?? "")), mean, accuracy: 1e-9 * max(1, abs(mean)), "bin \(f)")
            XCTAssertEqual(try XCTUnwrap(Double(row["std"] ?? "")), std, accuracy: 1e-9 * max(1, std), "bin \(f)")
        }
        // Bins differ (a mix-up of the axes would average bins together).
        XCTAssertGreaterThan(Set(stats.rows.map { $0["mean"] ?? "" }).count, 32)
    }

    func testCardNamesTheShardsAndClassesForStoreAndView() throws {
        let result = try ingest()
        let manifest = try Manifest.load(from: result.manifestURL)
        let card = try String(contentsOf: fixture.url("store/README.md"), encoding: .utf8)
        XCTAssertEqual(card, DatasetCard.markdown(for: manifest, reports: [
            "reports/class_counts.csv", "reports/rejected.csv", "reports/durations.csv", "reports/feature_stats.csv",
        ]))
        let front = try XCTUnwrap(card.components(separatedBy: "---\n").dropFirst().first)
        XCTAssertTrue(front.hasPrefix("configs:\n- config_name: default\n  data_files:\n  - split: rows\n    path:\n"), front)
        XCTAssertEqual(front.components(separatedBy: "\n").filter { $0.hasPrefix("    - ") },
                       manifest.shards.map { "    - \"\($0.file)\"" })
        for (index, name) in manifest.classes.enumerated() { XCTAssertTrue(card.contains("| \(index) | \(name) |"), name) }
        XCTAssertTrue(card.contains("ignore_index=-1"))
        XCTAssertTrue(card.contains("\"n_mels\":64"), "feature parameters are listed")

        // A view gets its own card (naming its column files) and reports.
        let taxonomy = try Taxonomy.load(from: Repository.url("manifests/taxonomies/asc10.yaml"))
        _ = try LabelMerge.run(store: fixture.url("store"), taxonomy: taxonomy, out: fixture.url("view"))
        let view = try Manifest.load(from: fixture.url("view"))
        let viewCard = try String(contentsOf: fixture.url("view/README.md"), encoding: .utf8)
        XCTAssertEqual(viewCard.components(separatedBy: "\n").filter { $0.hasPrefix("    - ") },
                       try XCTUnwrap(view.columnFiles).map { "    - \"\($0.file)\"" })
        XCTAssertTrue(viewCard.contains("acousticpipe.open"))
        let viewCounts = try CSVRows(fixture.url("view/reports/class_counts.csv"))
        XCTAssertEqual(viewCounts.sum("rows"), view.rowCount)
        XCTAssertTrue(Set(viewCounts.rows.compactMap { $0["class"] }).subtracting([""]).isSubset(of: view.classes),
                      "the view's counts use the taxonomy's classes")
        XCTAssertNil(view.clipLengths, "a view's subset is counted in its reports, not copied from the parent")
        let viewDurations = try CSVRows(fixture.url("view/reports/durations.csv"))
        XCTAssertEqual(viewDurations.sum("rows"), view.rowCount)
    }
}
