import AudioIO
import TestSupport
import XCTest
@testable import Corpora

/// The TAU 2022 recipe on its synthetic corpus (published layout, 1-s clips, train subsets) and on
/// hand-written metadata quirks, each reported with its file and line.
final class TAU2022RecipeTests: XCTestCase {
    private let corpus = "TAU-urban-acoustic-scenes-2022-mobile-development"

    private func tally<T: Hashable>(_ recordings: [Recording], _ key: (Recording) -> T?) -> [T: Int] {
        var counts: [T: Int] = [:]
        for r in recordings { if let k = key(r) { counts[k, default: 0] += 1 } }
        return counts
    }

    func testSynthCorpusReadsBackWithSegmentsDevicesAndSubsets() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let summary = try TAU2022Synth().generate(root: dir.url, perClass: 4, seed: 7)
        XCTAssertEqual(summary.filesWritten, 10 * (4 + 4 + 1))
        let catalog = try TAU2022Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map { $0.message }, [])
        XCTAssertEqual(catalog.recordings.count, summary.filesWritten)
        XCTAssertEqual(tally(catalog.recordings) { $0.split }, ["train": 40, "evaluate": 40, "unused": 10])
        XCTAssertEqual(Set(catalog.recordings.map { TAU2022Recipe().datasetSplit(of: $0) }), [.train, .test, .unused])

        // S4–S6 only outside train; every train device is one of a, b, c, s1–s3.
        let train = catalog.recordings.filter { $0.split == "train" }
        XCTAssertTrue(Set(train.compactMap { $0.device }).isSubset(of: ["a", "b", "c", "s1", "s2", "s3"]))
        XCTAssertTrue(catalog.recordings.filter { ["s4", "s5", "s6"].contains($0.device ?? "") }.allSatisfy { $0.split != "train" })
        XCTAssertTrue(catalog.recordings.contains { $0.split == "evaluate" && $0.device == "s4" })

        // A segment is `<identifier>-<segment id>`, shared by the parallel devices, never across splits.
        let first = try XCTUnwrap(catalog.recordings.first { $0.id == "tau2022/airport-barcelona-1000-40000-0-a" })
        XCTAssertEqual(first.segment, "barcelona-1000-40000")
        XCTAssertEqual(first.location, "barcelona-1000")
        XCTAssertEqual(first.city, "barcelona")
        XCTAssertEqual(first.label, "airport")
        let bySegment = Dictionary(grouping: catalog.recordings.filter { $0.split != "unused" }) { $0.segment ?? "" }
        XCTAssertFalse(bySegment.keys.contains(""))
        for (segment, pieces) in bySegment {
            XCTAssertEqual(Set(pieces.map { $0.split }).count, 1, segment)
            XCTAssertGreaterThan(Set(pieces.compactMap { $0.device }).count, 1, "\(segment) has one device only")
        }

        // Subsets: nested, train only, sizes 5 % … 100 % of 40.
        func members(_ subset: String) -> Set<String> {
            Set(catalog.recordings.filter { ($0.subsets ?? []).contains(subset) }.map { $0.id })
        }
        XCTAssertEqual(TAU2022Recipe.subsets.map { members($0).count }, [2, 4, 10, 20, 40])
        for (small, large) in zip(TAU2022Recipe.subsets, TAU2022Recipe.subsets.dropFirst()) {
            XCTAssertTrue(members(small).isSubset(of: members(large)), "\(small) ⊄ \(large)")
        }
        XCTAssertEqual(members("split100"), Set(train.map { $0.id }))

        // 1-s clips, 44.1 kHz mono, and the content depends on the class.
        let clip = try AudioDecoder.decode(URL(fileURLWithPath: first.path))
        XCTAssertEqual(clip.sampleRate, 44_100)
        XCTAssertEqual(clip.channels.count, 1)
        XCTAssertEqual(clip.channels[0].count, 44_100)
    }

    func testSameSeedSameBytes() throws {
        let a = try TemporaryFolder(), b = try TemporaryFolder()
        defer { a.remove(); b.remove() }
        _ = try TAU2022Synth().generate(root: a.url, perClass: 1, seed: 5)
        _ = try TAU2022Synth().generate(root: b.url, perClass: 1, seed: 5)
        let name = "\(corpus)/audio/bus-london-1001-41000-0-a.wav"
        XCTAssertEqual(try Data(contentsOf: a.url.appendingPathComponent(name)),
                       try Data(contentsOf: b.url.appendingPathComponent(name)))
        XCTAssertEqual(try Data(contentsOf: a.url.appendingPathComponent("\(corpus)/meta.csv")),
                       try Data(contentsOf: b.url.appendingPathComponent("\(corpus)/meta.csv")))
    }

    func testMetadataQuirksAreReportedByLine() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("""
            filename\tscene_label\tidentifier\tsource_label
            audio/bus-lyon-1-10-0-a.wav\tbus\tlyon-1\ta
            audio/bus-lyon-1-10-0-s5.wav\tbus\tlyon-1\ts5
            audio/bus-lyon-1-10-a.wav\tbus\tlyon-1\ta
            audio/park-milan-2-20-3-b.wav\tpark\tmilan-9\tb
            audio/park-milan-2-20-12-b.wav\tpark\tmilan-2\tb
            audio/bus-lyon-1-10-0-a.wav\tbus\tlyon-1\ta

            """, to: "\(corpus)/meta.csv")
        try dir.write("filename\tscene_label\r\naudio/bus-lyon-1-10-0-a.wav\tbus\r\naudio/bus-lyon-1-10-1-a.wav\tbus\r\n",
                      to: "\(corpus)/evaluation_setup/fold1_train.csv")
        try dir.write("filename\tscene_label\naudio/park-milan-2-20-3-b.wav\tpark\n",
                      to: "\(corpus)/evaluation_setup/fold1_evaluate.csv")
        try dir.write("filename\tscene_label\naudio/bus-lyon-1-10-0-a.wav\tbus\naudio/park-milan-2-20-3-b.wav\tpark\n"
                      + "audio/bus-lyon-1-10-0-a.wav\tbus\n",
                      to: "\(corpus)/evaluation_setup/split5.csv")
        for name in ["audio/bus-lyon-1-10-0-a.wav", "audio/bus-lyon-1-10-0-s5.wav", "audio/park-milan-2-20-3-b.wav"] {
            try dir.write("", to: "\(corpus)/\(name)")
        }

        let catalog = try TAU2022Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map { "\($0.id) \($0.split) \($0.location ?? "-") \($0.segment ?? "-") \($0.subsets ?? [])" }, [
            "tau2022/bus-lyon-1-10-0-a train lyon-1 lyon-1-10 [\"split5\"]",
            "tau2022/bus-lyon-1-10-0-s5 unused lyon-1 lyon-1-10 []",
            "tau2022/park-milan-2-20-3-b evaluate milan-9 milan-9-20 []",
        ])
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "meta.csv line 4: cannot parse audio/bus-lyon-1-10-a.wav: expected audio/<scene>-<city>-<location>-<segment>-<0..9>-<device>.wav",
            "meta.csv line 5: identifier 'milan-9' contradicts the file name's 'milan-2'; kept the column",
            "meta.csv line 6: cannot parse audio/park-milan-2-20-12-b.wav: expected audio/<scene>-<city>-<location>-<segment>-<0..9>-<device>.wav",
            "meta.csv line 7: audio/bus-lyon-1-10-0-a.wav is listed twice (first at line 2)",
            "split5.csv line 3: audio/park-milan-2-20-3-b.wav is in split5.csv but not in fold1_train.csv; a train subset lists train files only",
            "split5.csv line 4: audio/bus-lyon-1-10-0-a.wav is listed twice (first at line 2)",
            "fold1_train.csv line 3: audio/bus-lyon-1-10-1-a.wav is listed but missing",
        ])
    }

    func testFileNameParsing() {
        let name = TAU2022FileName("audio/street_pedestrian-lyon-1162-44093-7-s2.wav")
        XCTAssertEqual(name?.scene, "street_pedestrian")
        XCTAssertEqual(name?.identifier, "lyon-1162")
        XCTAssertEqual(name?.segmentID, 44093)
        XCTAssertEqual(name?.piece, 7)
        XCTAssertEqual(name?.device, "s2")
        XCTAssertEqual(name?.segment, "lyon-1162-44093")
        XCTAssertNil(TAU2022FileName("audio/street_pedestrian-lyon-1162-44093-s2.wav"), "a TAU 2020 name")
        XCTAssertNil(TAU2022FileName("audio/street_pedestrian-lyon-1162-44093-10-s2.wav"), "piece past 9")
        XCTAssertNil(TAU2022FileName("audio/street_pedestrian-lyon-1162-44093-1-s2.flac"))
    }

    func testRegistryAndSynthKnowTAU2022() {
        XCTAssertEqual(CorpusRegistry.recipe(named: "tau2022")?.folderName, corpus)
        XCTAssertEqual(CorpusRegistry.recipe(named: "tau2022")?.clipSeconds, 1)
        XCTAssertEqual(CorpusRegistry.recipe(named: "tau2022")?.pipeline, "ds-flexinet")
        XCTAssertEqual(SyntheticCorpora.generator(named: "tau2022")?.defaultDurationSeconds, 1)
        XCTAssertEqual(SyntheticCorpora.generator(named: "tau2020")?.defaultDurationSeconds, 10)
    }
}
