import Foundation
import Labels
import Randomness
import Store
import XCTest

/// `PseudoLabels` against a numpy reimplementation (same rows, same labels), and the refusals of
/// predictions that do not match the view.
final class PseudoLabelsTests: XCTestCase {
    static let numpy = """
    import csv, sys
    import numpy as np
    import acousticpipe
    out, a_path, b_path, top = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    v = acousticpipe.open(out)
    classes = v.classes
    def read(path):
        rows = list(csv.reader(open(path)))
        cols = rows[0][1:-1]
        return {r[0]: (np.array([float(x) for x in r[1:-1]]), classes.index(r[-1])) for r in rows[1:]}, cols
    A, ca = read(a_path); B, cb = read(b_path)
    assert ca == classes and cb == classes
    ids = v.column("meta/id").astype(str)
    src = v.column("meta/label_source").astype(str)
    lab = v.column("meta/label")
    unl = np.flatnonzero(src != "real")
    conf = np.array([A[ids[i]][0][A[ids[i]][1]] for i in unl])
    order = sorted(range(len(unl)), key=lambda k: (-conf[k], ids[unl[k]]))
    first = set(order[: int(np.floor(top * len(unl)))])
    for k, i in enumerate(unl):
        pa, pb = A[ids[i]][1], B[ids[i]][1]
        want = ("pseudo-1", pa) if k in first else (("pseudo-2", pa) if pa == pb else ("none", -1))
        assert (src[i], lab[i]) == want, (i, ids[i], src[i], lab[i], want)
    assert np.allclose(v.column("meta/label_confidence")[unl], conf, atol=1e-7)
    print((src == "pseudo-1").sum(), (src == "pseudo-2").sum())
    """

    /// Random probabilities for `ids`; every third row of A repeats the previous row's (a confidence tie).
    private func predictions(ids: [String], seed: UInt64) -> PredictionsFile {
        var random = SplitMix64(seed: seed)
        var rows: [[Double]] = []
        for (k, _) in ids.enumerated() {
            if k % 3 == 2, let last = rows.last { rows.append(last); continue }
            let raw = (0..<4).map { _ in random.nextUnit() + 0.01 }
            rows.append(raw.map { $0 / raw.reduce(0, +) })
        }
        return PredictionsFile(classes: LabelsFixture.classes, ids: ids, probabilities: rows)
    }

    private func fixture() throws -> (root: URL, store: URL, unlabeled: [String]) {
        let root = try LabelsFixture.temporaryDirectory(for: self)
        let store = try LabelsFixture.makeStore(at: root.appendingPathComponent("store"), rows: 40,
                                                label: { $0 % 4 == 0 ? Int32($0 % 3) : -1 })
        let reader = try StoreReader(manifest: store)
        let ids = try reader.readStrings("meta/id")
        let labels = try reader.readInt32("meta/label")
        return (root, store, ids.indices.filter { labels[$0] == -1 }.map { ids[$0] })
    }

    func testTwoStepSelectionMatchesNumpy() throws {
        let (root, store, unlabeled) = try fixture()
        let a = root.appendingPathComponent("a.csv"), b = root.appendingPathComponent("b.csv")
        try predictions(ids: unlabeled.reversed(), seed: 1).write(to: a)
        // B agrees with A on some rows and not others.
        var bFile = predictions(ids: unlabeled, seed: 2)
        let aFile = try PredictionsFile.read(a)
        for k in stride(from: 0, to: unlabeled.count, by: 2) {
            let row = try XCTUnwrap(aFile.ids.firstIndex(of: unlabeled[k]))
            bFile.probabilities[k] = aFile.probabilities[row]
            bFile.predicted[k] = aFile.predicted[row]
        }
        try bFile.write(to: b)
        for top in [0.9, 0.5, 0.1] {
            let out = root.appendingPathComponent("pseudo-\(top)")
            let report = try PseudoLabels.run(view: store, predictions: a, second: b, top: top, out: out)
            XCTAssertEqual(report.sources.filter { $0 == "pseudo-1" }.count, Int((top * 30).rounded(.down)))
            XCTAssertEqual(report.sources.filter { $0 == "real" }.count, 10)
            let printed = try LabelsFixture.python(Self.numpy, arguments: [out.path, a.path, b.path, String(top)])
            let numbers = printed.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            XCTAssertEqual(numbers, [report.sources.filter { $0 == "pseudo-1" }.count, report.sources.filter { $0 == "pseudo-2" }.count])
            XCTAssertTrue(report.table().contains("Total"))
            let manifest = try StoreReader(manifest: out).manifest
            XCTAssertEqual(manifest.parameters["top"], .number(top))
        }
    }

    func testPredictionsThatDoNotMatchTheViewAreRefused() throws {
        let (root, store, unlabeled) = try fixture()
        let good = root.appendingPathComponent("good.csv")
        try predictions(ids: unlabeled, seed: 3).write(to: good)
        let text = try String(contentsOf: good, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let cases: [(String, String, String)] = [
            ("missing", lines.dropLast().joined(separator: "\n"), "no prediction for the view's unlabeled row"),
            ("extra", (lines + ["clip-999,0.25,0.25,0.25,0.25,Bus"]).joined(separator: "\n"), "row 31: id 'clip-999' is not an unlabeled row"),
            ("duplicate", (lines + [lines[1]]).joined(separator: "\n"), "row 31: id '\(unlabeled[0])' repeats row 1"),
            ("sum", (lines[0...1] + ["\(unlabeled[1]),0.5,0.5,0.5,0.5,Bus"]).joined(separator: "\n"), "row 2: id '\(unlabeled[1])': probabilities sum to 2.0"),
            ("nan", (lines[0...1] + ["\(unlabeled[1]),nan,0.5,0.25,0.25,Bus"]).joined(separator: "\n"), "row 2: id '\(unlabeled[1])': Bus = 'nan'"),
        ]
        lines = lines.map { $0.replacingOccurrences(of: "Park", with: "Forest") }
        let classes = root.appendingPathComponent("classes.csv")
        try lines.joined(separator: "\n").write(to: classes, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("refused")
        for (name, content, message) in cases {
            let file = root.appendingPathComponent(name + ".csv")
            try content.write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try PseudoLabels.run(view: store, predictions: file, second: good, out: out), name) { error in
                XCTAssertTrue("\(error)".contains(file.path) && "\(error)".contains(message), "\(name): \(error)")
            }
        }
        XCTAssertThrowsError(try PseudoLabels.run(view: store, predictions: classes, second: good, out: out)) {
            XCTAssertTrue("\($0)".contains("are not the view's"), "\($0)")
        }
        XCTAssertThrowsError(try PseudoLabels.run(view: store, predictions: good, second: good, top: 0, out: out))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
