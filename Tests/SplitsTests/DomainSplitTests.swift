import Foundation
import Plots
import Splits
import Store
import XCTest

/// `DomainSplit` against a numpy reimplementation (same rows selected, same similarities), the
/// rule's strictness, the one-sided warning and the refusals that write nothing.
final class DomainSplitTests: XCTestCase {
    /// The numpy reimplementation: reads the written view and the reference with the repo's Python
    /// reader, recomputes statistics, similarities and the selection, and checks the view's
    /// `meta/split`, `meta/split_before` and `meta/domain_similarity`. Prints the hard count.
    static let numpySplit = """
    import json, sys
    import numpy as np
    import acousticpipe
    out, ref, o = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    v, r = acousticpipe.open(out), acousticpipe.open(ref)
    before = v.column("meta/split_before").astype(str)
    sel = np.flatnonzero(before == o["within"]) if o["within"] else np.arange(len(v))
    keep = np.ones(len(r), bool)
    if o["reference_split"]: keep &= r.column("meta/split").astype(str) == o["reference_split"]
    if o["reference_source"]: keep &= r.column("meta/source").astype(str) == o["reference_source"]
    def stats(x):
        x = x.astype(np.float64).reshape(x.shape[0], -1, x.shape[-2], x.shape[-1])
        parts = {"mean": x.mean(axis=2), "variance": x.var(axis=2)}
        return np.concatenate([parts[s].reshape(x.shape[0], -1) for s in o["statistics"]], axis=1)
    X = stats(v.column("features/logmel")[sel])
    R = stats(r.column("features/logmel")[np.flatnonzero(keep)])
    if o["standardise"]:
        P = np.vstack([X, R]); mu, sd = P.mean(0), P.std(0)
        X = np.where(sd > 0, (X - mu) / np.where(sd > 0, sd, 1), 0)
        R = np.where(sd > 0, (R - mu) / np.where(sd > 0, sd, 1), 0)
    unit = lambda A: A / np.linalg.norm(A, axis=1, keepdims=True)
    if o["comparison"] == "reference-mean":
        s = unit(X) @ unit(R.mean(0, keepdims=True))[0]
    else:
        C = unit(X) @ unit(R).T
        s = C.max(1) if o["comparison"] == "nearest" else C.mean(1)
    if "threshold" in o:
        hard = s > o["threshold"]
    else:
        k = max(1, int(np.floor(o["fraction"] * len(s))))
        order = np.lexsort((np.arange(len(s)), -s))
        hard = np.zeros(len(s), bool); hard[order[:k]] = True
    split = v.column("meta/split").astype(str)
    expected = np.where(hard, "valid-hard", "valid-easy")
    assert (split[sel] == expected).all(), (np.flatnonzero(split[sel] != expected), s)
    rest = np.setdiff1d(np.arange(len(v)), sel)
    assert (split[rest] == before[rest]).all()
    sim = v.column("meta/domain_similarity")
    assert np.allclose(sim[sel], s, rtol=0, atol=2e-6), np.abs(sim[sel] - s).max()
    assert np.isnan(sim[rest]).all()
    print(int(hard.sum()))
    """

    private func stores() throws -> (root: URL, view: URL, reference: URL) {
        let root = try SplitsFixture.temporaryDirectory(for: self)
        let view = try SplitsFixture.makeStore(at: root.appendingPathComponent("view"), rows: 60, seed: 1)
        // The reference: a corpus whose spectra tilt the other way, plus rows of another source to filter out.
        let reference = try SplitsFixture.makeStore(at: root.appendingPathComponent("reference"), rows: 24, seed: 2,
                                                    source: "cas2023", tilt: 2, split: { $0 % 3 == 0 ? "train" : "test" })
        return (root, view, reference)
    }

    private func numpyOptions(_ o: DomainSplitOptions) -> String {
        var object: [String: Any] = [
            "within": o.within ?? NSNull(), "reference_split": o.referenceSplit ?? NSNull(),
            "reference_source": o.referenceSource ?? NSNull(), "statistics": o.statistics.map(\.rawValue),
            "standardise": o.standardise, "comparison": o.comparison.rawValue,
        ]
        switch o.rule {
        case let .threshold(t): object["threshold"] = t
        case let .fraction(f): object["fraction"] = f
        }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func testSplitsMatchNumpyForEveryComparison() throws {
        let (root, view, reference) = try stores()
        var cases: [DomainSplitOptions] = []
        for comparison in DomainComparison.allCases {
            for standardise in [false, true] {
                cases.append(DomainSplitOptions(comparison: comparison, standardise: standardise, rule: .fraction(0.3),
                                                within: "validation", referenceSplit: "test"))
            }
        }
        cases.append(DomainSplitOptions(statistics: [.variance], comparison: .nearest, rule: .fraction(1), referenceSource: "cas2023"))
        for (index, options) in cases.enumerated() {
            let out = root.appendingPathComponent("out-\(index)")
            let report = try DomainSplit.run(view: view, reference: reference, options: options, out: out)
            XCTAssertEqual(report.considered, options.within == nil ? 60 : 30)
            XCTAssertEqual(report.hard, options.rule == .fraction(1) ? report.considered : Int(0.3 * 30))
            let printed = try SplitsFixture.python(Self.numpySplit, arguments: [out.path, reference.path, numpyOptions(options)])
            XCTAssertEqual(printed.trimmingCharacters(in: .whitespacesAndNewlines), String(report.hard), "case \(index)")
        }
        // A threshold between two measured similarities: the rows above it, as numpy finds them.
        let probe = try DomainSplit.run(view: view, reference: reference, options: DomainSplitOptions(
            rule: .fraction(0.5), within: "validation", referenceSplit: "test"), out: root.appendingPathComponent("probe"))
        let sorted = probe.viewSimilarity.sorted()
        let threshold = (sorted[11] + sorted[12]) / 2
        let options = DomainSplitOptions(rule: .threshold(threshold), within: "validation", referenceSplit: "test")
        let out = root.appendingPathComponent("threshold")
        let report = try DomainSplit.run(view: view, reference: reference, options: options, out: out)
        XCTAssertEqual(report.hard, 30 - 12)
        let printed = try SplitsFixture.python(Self.numpySplit, arguments: [out.path, reference.path, numpyOptions(options)])
        XCTAssertEqual(printed.trimmingCharacters(in: .whitespacesAndNewlines), "18")
        XCTAssertNil(report.warning)
    }

    func testManifestRecordsParametersAndReportsAreWritten() throws {
        let (root, view, reference) = try stores()
        let out = root.appendingPathComponent("split")
        let options = DomainSplitOptions(comparison: .clipMean, rule: .threshold(0.99), within: "validation", referenceSplit: "test")
        let report = try DomainSplit.run(view: view, reference: reference, options: options, out: out)
        let reader = try StoreReader(manifest: out)
        XCTAssertEqual(reader.manifest.kind, .view)
        XCTAssertEqual(reader.manifest.parameters["comparison"], .string("clip-mean"))
        XCTAssertEqual(reader.manifest.parameters["threshold"], .number(0.99))
        XCTAssertEqual(reader.manifest.parameters["reference_split"], .string("test"))
        XCTAssertEqual(reader.manifest.parameters["feature"], .string("features/logmel"))
        XCTAssertEqual(reader.rowCount, 60)
        let splits = try reader.readStrings("meta/split")
        XCTAssertEqual(splits.filter { $0 == "valid-hard" }.count, report.hard)
        XCTAssertEqual(splits.filter { $0 == "train" }.count, 30)
        for name in ["domain_split.txt", "domain_split_counts.csv", "domain_split_variants.csv",
                     "domain_similarity.csv", "domain_similarity_histogram.csv", "class_counts.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("reports/" + name).path), name)
        }
        if Gnuplot.executable != nil {
            XCTAssertEqual(report.plots, ["reports/domain_similarity.png", "reports/domain_similarity.svg",
                                          "reports/domain_split_counts.png", "reports/domain_split_counts.svg"])
            let png = try Data(contentsOf: out.appendingPathComponent("reports/domain_similarity.png"))
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            let svg = try String(contentsOf: out.appendingPathComponent("reports/domain_similarity.svg"), encoding: .utf8)
            XCTAssertTrue(svg.contains("<svg") && svg.contains("threshold 0.99"), "the SVG marks the threshold")
        }
        let histogram = report.histogram()
        XCTAssertEqual(histogram.map(\.view).reduce(0, +), 30)
        XCTAssertEqual(histogram.map(\.reference).reduce(0, +), 16)
        // Counts per class x split add up to the considered rows.
        XCTAssertEqual(report.counts.values.reduce(0, +), 30)
        XCTAssertEqual(report.variants.filter(\.chosen).count, 1)
        XCTAssertTrue(report.table().contains("valid-hard"))
        // Same inputs and options: byte-identical manifest.
        let again = root.appendingPathComponent("again")
        _ = try DomainSplit.run(view: view, reference: reference, options: options, out: again)
        let a = try Manifest.load(from: out.appendingPathComponent("manifest.json"))
        let b = try Manifest.load(from: again.appendingPathComponent("manifest.json"))
        XCTAssertEqual(a.configHash, b.configHash)
        XCTAssertEqual(a.columnFiles?.map(\.sha256), b.columnFiles?.map(\.sha256))
    }

    func testThresholdIsStrictAndFractionBreaksTiesByRow() {
        XCTAssertEqual(DomainRule.threshold(0.9).select([0.9, 0.9000001, 0.2]), [false, true, false])
        XCTAssertEqual(DomainRule.fraction(0.5).select([0.5, 0.7, 0.7, 0.1]), [false, true, true, false])
        XCTAssertEqual(DomainRule.fraction(0.25).select([0.7, 0.7, 0.7, 0.1]), [true, false, false, false])
        XCTAssertEqual(DomainRule.fraction(0.01).select([0.1, 0.3, 0.2]).filter { $0 }.count, 1)
        XCTAssertThrowsError(try DomainRule.fraction(0).validate())
        XCTAssertThrowsError(try DomainRule.fraction(1.5).validate())
        XCTAssertThrowsError(try DomainRule.threshold(.nan).validate())
        XCTAssertNoThrow(try DomainRule.fraction(1).validate())
    }

    func testAllRowsOnOneSideWarns() throws {
        let (root, view, reference) = try stores()
        let report = try DomainSplit.run(view: view, reference: reference, options: DomainSplitOptions(
            standardise: true, rule: .threshold(0.999999), within: "validation"), out: root.appendingPathComponent("one"))
        XCTAssertEqual(report.hard, 0)
        XCTAssertTrue(report.warning?.contains("all 30 rows are valid-easy") ?? false, report.warning ?? "no warning")
        XCTAssertTrue(report.table().contains("all on one side"))
    }

    func testBadInputIsRefusedAndNothingWritten() throws {
        let (root, view, _) = try stores()
        let other = try SplitsFixture.makeStore(at: root.appendingPathComponent("other"), rows: 6, seed: 3, shape: [1, 6, 4])
        let out = root.appendingPathComponent("refused")
        XCTAssertThrowsError(try DomainSplit.run(view: view, reference: other, options: DomainSplitOptions(), out: out)) { error in
            XCTAssertTrue("\(error)".contains(other.path) && "\(error)".contains("row shape [1, 6, 4]"), "\(error)")
        }
        XCTAssertThrowsError(try DomainSplit.run(view: view, reference: other, options: DomainSplitOptions(rule: .fraction(0)), out: out)) { error in
            XCTAssertTrue("\(error)".contains("--fraction"), "\(error)")
        }
        XCTAssertThrowsError(try DomainSplit.run(view: view, reference: view, options: DomainSplitOptions(within: "nosuch"), out: out)) { error in
            XCTAssertTrue("\(error)".contains("no row has meta/split 'nosuch'"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
