import Foundation
import Splits
import Store
import XCTest

/// The metadata stages against a Python reimplementation of the seeded selection and derangement
/// (SplitMix64 in plain integers): same rows selected, same permutation; derangement and
/// proportions checked; unselected rows unchanged.
final class MetadataShuffleTests: XCTestCase {
    static let python = """
    import json, math, sys
    import numpy as np
    import acousticpipe
    M = (1 << 64) - 1
    class SplitMix64:
        def __init__(self, seed, key):
            h = 0xcbf29ce484222325
            for b in key.encode():
                h = ((h ^ b) * 0x100000001B3) & M
            self.state = seed
            self.state = self.next() ^ h
            self.next()
        def next(self):
            self.state = (self.state + 0x9E3779B97F4A7C15) & M
            z = self.state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            return z ^ (z >> 31)
        def below(self, bound):
            return (self.next() * bound) >> 64
    def choose(count, n, seed, key):
        r, pool = SplitMix64(seed, key), list(range(n))
        for i in range(count):
            j = i + r.below(n - i); pool[i], pool[j] = pool[j], pool[i]
        return sorted(pool[:count])
    def derangement(n, seed, key):
        r = SplitMix64(seed, key)
        while True:
            p = list(range(n))
            for i in range(n - 1, 0, -1):
                j = r.below(i + 1); p[i], p[j] = p[j], p[i]
            if all(p[i] != i for i in range(n)):
                return p
    mode, out, o = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    for x, folder in o["fractions"]:
        v = acousticpipe.open(out + "/" + folder)
        cand = np.flatnonzero(v.column("meta/split").astype(str) == o["within"])
        n = len(cand); count = min(n, max(2, int(math.floor(x * n + 0.5))))
        sel = cand[choose(count, n, o["seed"], "split-selection/%s/%s" % (o["within"], folder))]
        changed = v.column("meta/metadata_changed")
        assert (np.flatnonzero(changed == 1) == sel).all(), (np.flatnonzero(changed), sel)
        loc, loc0 = v.column("meta/location").astype(str), v.column("meta/location_original").astype(str)
        rest = np.setdiff1d(np.arange(len(v)), sel)
        assert (loc[rest] == loc0[rest]).all()
        if mode == "shuffle":
            t, t0 = v.column("meta/time"), v.column("meta/time_original")
            assert (t[rest] == t0[rest]).all()
            for name, new, old in (("meta/location", loc, loc0), ("meta/time", t, t0)):
                key = "joint" if o["jointly"] else name
                p = derangement(count, o["seed"], "shuffle-metadata/%s/%s" % (folder, key))
                assert all(new[sel[i]] == old[sel[p[i]]] for i in range(count)), name
        else:
            r = SplitMix64(o["seed"], "unseen-locations/" + folder)
            assert all(loc[row] == o["unseen"][r.below(len(o["unseen"]))] for row in sel)
            assert (v.column("meta/time") == acousticpipe.open(o["parent"]).column("meta/time")).all()
        print(folder, count)
    """

    private func fixture() throws -> (root: URL, view: URL, reference: URL) {
        let root = try SplitsFixture.temporaryDirectory(for: self)
        let view = try SplitsFixture.makeStore(at: root.appendingPathComponent("view"), rows: 50, seed: 4,
                                               split: { $0 % 5 == 0 ? "train" : "valid-hard" })
        let cities = ["City0", "Nanchang", "Tianjin", "Taiyuan", ""]
        let reference = try SplitsFixture.makeStore(at: root.appendingPathComponent("eval"), rows: 10, seed: 5,
                                                    split: { _ in "test" }, location: { cities[$0 % cities.count] })
        return (root, view, reference)
    }

    private func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func testShuffleIsASeededDerangementOfTheSelectedRows() throws {
        let (root, view, _) = try fixture()
        let fractions = try RowSampling.fractions("0.05,0.1,0.2,0.5,0.7,1")
        for jointly in [true, false] {
            let out = root.appendingPathComponent(jointly ? "joint" : "separate")
            let outcomes = try MetadataShuffle.run(view: view, within: "valid-hard", fractions: fractions,
                                                   columns: ["location", "time"], jointly: jointly, seed: 7, out: out)
            XCTAssertEqual(outcomes.map { $0.folder.lastPathComponent }, ["5", "10", "20", "50", "70", "100"])
            // 40 candidates: round(x·40), at least 2.
            XCTAssertEqual(outcomes.map(\.selected.count), [2, 4, 8, 20, 28, 40])
            let original = try StoreReader(manifest: view).readInt64("meta/time")
            for outcome in outcomes {
                let reader = try StoreReader(manifest: outcome.folder)
                switch reader.manifest.parameters["fraction"] {
                case let .number(value)?: XCTAssertEqual(value, outcome.fraction)
                case let .integer(value)?: XCTAssertEqual(Double(value), outcome.fraction) // JSON reads 1.0 back as 1
                default: XCTFail("no fraction in the manifest")
                }
                XCTAssertEqual(reader.manifest.parameters["seed"], .integer(7))
                let times = try reader.readInt64("meta/time")
                // Times are unique per row, so each is a row's own: no selected row keeps its own.
                for row in outcome.selected { XCTAssertNotEqual(times[row], original[row]) }
                XCTAssertEqual(Set(outcome.selected.map { times[$0] }), Set(outcome.selected.map { original[$0] }))
                XCTAssertEqual(outcome.changed["meta/time"], outcome.selected.count)
                if jointly {
                    let locations = try reader.readStrings("meta/location")
                    let before = try StoreReader(manifest: view).readStrings("meta/location")
                    for row in outcome.selected {
                        let source = try XCTUnwrap(original.firstIndex(of: times[row]))
                        XCTAssertEqual(locations[row], before[source], "the pair moves together")
                    }
                }
            }
            let printed = try SplitsFixture.python(Self.python, arguments: ["shuffle", out.path, json([
                "fractions": outcomes.map { [$0.fraction, $0.folder.lastPathComponent] }, "within": "valid-hard",
                "seed": 7, "jointly": jointly,
            ])])
            XCTAssertEqual(printed.split(separator: "\n").count, 6)
        }
    }

    func testUnseenLocationsUseTheSameSelectionAndOnlyReferenceLocations() throws {
        let (root, view, reference) = try fixture()
        let fractions = [0.1, 0.5, 1.0]
        let shuffled = try MetadataShuffle.run(view: view, within: "valid-hard", fractions: fractions, columns: ["location"],
                                               seed: 3, out: root.appendingPathComponent("shuffled"))
        let out = root.appendingPathComponent("unseen")
        let outcomes = try UnseenLocations.run(view: view, reference: reference, within: "valid-hard", fractions: fractions,
                                               seed: 3, out: out)
        XCTAssertEqual(outcomes.map(\.selected), shuffled.map(\.selected))
        let unseen = try UnseenLocations.unseen(view: StoreReader(manifest: view), reference: StoreReader(manifest: reference))
        XCTAssertEqual(unseen, ["Nanchang", "Taiyuan", "Tianjin"])
        for outcome in outcomes {
            let locations = try StoreReader(manifest: outcome.folder).readStrings("meta/location")
            for row in outcome.selected { XCTAssertTrue(unseen.contains(locations[row]), locations[row]) }
            XCTAssertEqual(outcome.changed["meta/location"], outcome.selected.count)
        }
        _ = try SplitsFixture.python(Self.python, arguments: ["unseen", out.path, json([
            "fractions": outcomes.map { [$0.fraction, $0.folder.lastPathComponent] }, "within": "valid-hard",
            "seed": 3, "unseen": unseen, "parent": view.path,
        ])])
    }

    func testBadFractionsAndInputsAreRefusedBeforeWriting() throws {
        let (root, view, _) = try fixture()
        for text in ["0", "1.5", "nan", "0.1,,0.2", "0.1,0.1"] {
            XCTAssertThrowsError(try RowSampling.fractions(text), text)
        }
        let out = root.appendingPathComponent("refused")
        XCTAssertThrowsError(try MetadataShuffle.run(view: view, within: "valid-easy", fractions: [0.5], columns: ["location"], out: out)) {
            XCTAssertTrue("\($0)".contains("0 row(s) with meta/split 'valid-easy'"), "\($0)")
        }
        XCTAssertThrowsError(try MetadataShuffle.run(view: view, within: "valid-hard", fractions: [0.5], columns: ["weather"], out: out)) {
            XCTAssertTrue("\($0)".contains("no column 'meta/weather'"), "\($0)")
        }
        XCTAssertThrowsError(try UnseenLocations.run(view: view, reference: view, within: "valid-hard", fractions: [0.5], out: out)) {
            XCTAssertTrue("\($0)".contains("no unseen location"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testDerangementsHaveNoFixedPointAndAreUniform() {
        var counts: [[Int]: Int] = [:]
        for trial in 0..<4_400 {
            let p = RowSampling.derangement(4, seed: UInt64(trial), key: "t")
            XCTAssertFalse(p.enumerated().contains { $0.offset == $0.element })
            XCTAssertEqual(p.sorted(), [0, 1, 2, 3])
            counts[p, default: 0] += 1
        }
        // 4 elements have 9 derangements; each should come up ~489 times.
        XCTAssertEqual(counts.count, 9)
        for (p, n) in counts { XCTAssertTrue((400...580).contains(n), "\(p): \(n)") }
    }
}
