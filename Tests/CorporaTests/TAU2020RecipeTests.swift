import TestSupport
import XCTest
@testable import Corpora

/// The TAU 2020 recipe on the real MihawkHu setup files (13,965 train / 2,970 evaluate rows, of which
/// five name recordings that were never published) and on small hand-written edge cases.
final class TAU2020RecipeTests: XCTestCase {
    private static let real = RealCatalogCache("tau-real") { root in
        let skipped = Set(RealMetadataFixture.tauMissing.map { $0.name })
        _ = try RealMetadataFixture.makeTAU(in: root, skipping: skipped)
        return try TAU2020Recipe().catalog(root: root)
    }

    private func realCatalog() throws -> CorpusCatalog { try Self.real.get() }

    override class func tearDown() {
        real.remove()
        super.tearDown()
    }


    func testRealFoldFilesHaveTheMihawkHuRowCounts() throws {
        // `try` outside the assertion, so a missing shared/ skips the test instead of failing it.
        let train = try RealMetadataFixture.listedNames("tau2020/evaluation_setup/fold1_train.csv", separator: "\t")
        let evaluate = try RealMetadataFixture.listedNames("tau2020/evaluation_setup/fold1_evaluate.csv", separator: "\t")
        XCTAssertEqual(train.count, 13_965)
        XCTAssertEqual(evaluate.count, 2_970)
    }

    func testRealFoldsGiveAllListedRecordingsButTheFiveMissing() throws {
        let catalog = try realCatalog()
        XCTAssertEqual(catalog.corpus, "tau2020")
        XCTAssertEqual(catalog.recordings.count, 13_965 + 2_970 - 5)
        XCTAssertEqual(tally(catalog.recordings) { $0.split }, ["train": 13_962, "evaluate": 2_968])
        XCTAssertEqual(catalog.issues.map { $0.message }, RealMetadataFixture.tauMissing.map {
            "\($0.file) line \($0.line): \($0.name) is listed but missing"
        })
        XCTAssertEqual(catalog.issues.map { $0.line }, [1102, 8046, 9512, 65, 2742])
        XCTAssertTrue(catalog.issues[0].path.hasSuffix("/evaluation_setup/fold1_train.csv"))
        XCTAssertEqual(catalog.recordings.map { $0.id }, catalog.recordings.map { $0.id }.sorted())
        XCTAssertEqual(Set(catalog.recordings.map { $0.id }).count, catalog.recordings.count)
        XCTAssertTrue(catalog.recordings.allSatisfy { $0.labeled })
    }

    /// With the five missing files removed, the counts are the official README statistics (§1.3).
    func testRealFoldsPerClassDeviceAndCityCountsMatchTheOfficialTables() throws {
        let catalog = try realCatalog()
        let train = catalog.recordings.filter { $0.split == "train" }
        let evaluate = catalog.recordings.filter { $0.split == "evaluate" }
        XCTAssertEqual(tally(train) { $0.label }, [
            "airport": 1393, "bus": 1400, "metro": 1382, "metro_station": 1380, "park": 1429,
            "public_square": 1427, "shopping_mall": 1373, "street_pedestrian": 1386, "street_traffic": 1413, "tram": 1379,
        ])
        XCTAssertEqual(tally(evaluate) { $0.label }, [
            "airport": 296, "bus": 297, "metro": 297, "metro_station": 297, "park": 297,
            "public_square": 297, "shopping_mall": 297, "street_pedestrian": 297, "street_traffic": 297, "tram": 296,
        ])
        XCTAssertEqual(tally(train) { $0.device }, ["a": 10_215, "b": 749, "c": 748, "s1": 750, "s2": 750, "s3": 750])
        XCTAssertEqual(tally(evaluate) { $0.device }, [
            "a": 330, "b": 329, "c": 329, "s1": 330, "s2": 330, "s3": 330, "s4": 330, "s5": 330, "s6": 330,
        ])
        XCTAssertEqual(tally(train) { $0.city }, [
            "barcelona": 1449, "helsinki": 1415, "lisbon": 1461, "london": 1363, "lyon": 1376,
            "milan": 1380, "paris": 1364, "prague": 1376, "stockholm": 1363, "vienna": 1415,
        ])
        XCTAssertEqual(tally(evaluate) { $0.city }, [
            "barcelona": 358, "helsinki": 360, "lisbon": 360, "london": 270, "lyon": 270,
            "milan": 270, "paris": 270, "prague": 270, "stockholm": 270, "vienna": 270,
        ])
        let trainLocations = Set(train.compactMap { $0.location })
        let evaluateLocations = Set(evaluate.compactMap { $0.location })
        XCTAssertEqual(trainLocations.count, 365)
        XCTAssertEqual(evaluateLocations.count, 146)
        XCTAssertTrue(trainLocations.isDisjoint(with: evaluateLocations))
    }

    func testRealFoldsDeriveMetadataFromFileNames() throws {
        let catalog = try realCatalog()
        let first = try XCTUnwrap(catalog.recordings.first { $0.id == "tau2020/airport-lisbon-1000-40000-a" })
        XCTAssertEqual(first.label, "airport")
        XCTAssertEqual(first.split, "train")
        XCTAssertEqual(first.device, "a")
        XCTAssertEqual(first.city, "lisbon")
        XCTAssertEqual(first.location, "lisbon-1000")
        XCTAssertNil(first.recordTime)
        XCTAssertTrue(first.path.hasPrefix("/"))
        XCTAssertTrue(first.path.hasSuffix("/TAU-urban-acoustic-scenes-2020-mobile-development/audio/airport-lisbon-1000-40000-a.wav"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.path))
        // A row of the CRLF evaluate file: the label must not carry the \r.
        let tram = try XCTUnwrap(catalog.recordings.first { $0.id == "tau2020/tram-lisbon-1200-45650-s6" })
        XCTAssertEqual(tram.label, "tram")
        XCTAssertEqual(tram.split, "evaluate")
        XCTAssertEqual(tram.device, "s6")
        XCTAssertEqual(tram.location, "lisbon-1200")
    }

    func testCRLFEvaluateFileLeavesNoCarriageReturnAnywhere() throws {
        let catalog = try realCatalog()
        let evaluate = catalog.recordings.filter { $0.split == "evaluate" }
        XCTAssertEqual(Set(evaluate.compactMap { $0.label }), Set(TAU2020Recipe.classes))
        for r in catalog.recordings {
            XCTAssertFalse(r.id.contains("\r") || r.path.contains("\r") || (r.label ?? "").contains("\r")
                           || (r.device ?? "").contains("\r"), r.id)
        }
    }

    // MARK: - Hand-written cases

    private let corpus = "TAU-urban-acoustic-scenes-2020-mobile-development"

    private func touch(_ dir: TemporaryFolder, _ names: [String]) throws {
        for name in names { try dir.write("", to: "\(corpus)/\(name)") }
    }

    func testMetaCSVGivesDeviceAndLocationAndUnusedSplit() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("""
            filename\tscene_label\tidentifier\tsource_label
            audio/bus-lyon-1-10-a.wav\tbus\tlyon-1\ta
            audio/bus-lyon-1-10-s5.wav\tbus\tlyon-1\ts5
            audio/park-milan-2-20-b.wav\tpark\tmilan-2\tb
            audio/park-milan-2-21-b.wav\tpark\tmilan-2\tb

            """, to: "\(corpus)/meta.csv")
        try dir.write("filename\tscene_label\naudio/bus-lyon-1-10-a.wav\tbus\naudio/park-milan-2-21-b.wav\tbus\n",
                      to: "\(corpus)/evaluation_setup/fold1_train.csv")
        try dir.write("filename\tscene_label\r\naudio/park-milan-2-20-b.wav\tpark\r\n",
                      to: "\(corpus)/evaluation_setup/fold1_evaluate.csv")
        try touch(dir, ["audio/bus-lyon-1-10-a.wav", "audio/bus-lyon-1-10-s5.wav", "audio/park-milan-2-20-b.wav"])

        let catalog = try TAU2020Recipe().catalog(root: dir.url.appendingPathComponent(corpus))
        XCTAssertEqual(catalog.recordings.map { "\($0.id) \($0.split) \($0.device ?? "-") \($0.city ?? "-") \($0.location ?? "-")" }, [
            "tau2020/bus-lyon-1-10-a train a lyon lyon-1",
            "tau2020/bus-lyon-1-10-s5 unused s5 lyon lyon-1",
            "tau2020/park-milan-2-20-b evaluate b milan milan-2",
        ])
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "fold1_train.csv line 3: scene_label 'bus' contradicts 'park' in meta.csv line 5; kept meta.csv's",
            "fold1_train.csv line 3: audio/park-milan-2-21-b.wav is listed but missing",
        ])
    }

    func testMalformedFoldLinesBecomeIssuesWithLineNumbers() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        // BOM, CRLF, a blank line, and no newline at the end.
        let text = "\u{feff}filename\tscene_label\r\n"
            + "audio/tram-paris-7-70-c.wav\ttram\r\n"
            + "audio/tram-paris-7-71-c.wav\r\n"
            + "\r\n"
            + "audio/tram-paris-7-c.wav\ttram\r\n"
            + "audio/tram-paris-7-72-c.wav\tboat\r\n"
            + "audio/tram-paris-7-70-c.wav\ttram\r\n"
            + "audio/bus-paris-7-73-c.wav\ttram"
        try dir.write(text, to: "\(corpus)/evaluation_setup/fold1_train.csv")
        try touch(dir, ["audio/tram-paris-7-70-c.wav", "audio/bus-paris-7-73-c.wav"])

        // The data folder is accepted as well as the corpus folder.
        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map { $0.id }, ["tau2020/tram-paris-7-70-c"])
        XCTAssertEqual(catalog.recordings.first?.label, "tram")
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "fold1_train.csv line 3: expected 2 TAB-separated fields (filename, scene_label), found 1",
            "fold1_train.csv line 5: cannot parse audio/tram-paris-7-c.wav: expected audio/<scene>-<city>-<location>-<segment>-<device>.wav",
            "fold1_train.csv line 6: scene_label 'boat' is not one of the 10 TAU 2020 classes",
            "fold1_train.csv line 7: audio/tram-paris-7-70-c.wav is already listed in fold1_train.csv line 2",
            "fold1_train.csv line 8: audio/bus-paris-7-73-c.wav is labeled 'tram' in fold1_train.csv but its name says 'bus'",
        ])
    }

    func testMissingAudioFolderIsOneIssue() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("filename\tscene_label\naudio/bus-lyon-1-10-a.wav\tbus\naudio/bus-lyon-1-11-a.wav\tbus\n",
                      to: "\(corpus)/evaluation_setup/fold1_evaluate.csv")
        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings, [])
        XCTAssertEqual(catalog.issues.map { $0.message }, ["audio: the audio folder is missing; 2 listed recordings skipped"])
    }

    func testUnusableRootsThrowNamingThePath() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let missing = dir.url.appendingPathComponent("nope")
        XCTAssertThrowsError(try TAU2020Recipe().catalog(root: missing)) { error in
            XCTAssertEqual(error as? CorpusError, .rootMissing(path: missing.path))
            XCTAssertEqual("\(error)", "corpus folder \(missing.path) does not exist")
        }
        XCTAssertThrowsError(try TAU2020Recipe().catalog(root: dir.url)) { error in
            XCTAssertEqual("\(error)", "\(dir.url.standardizedFileURL.path) is not a tau2020 corpus: none of meta.csv, "
                           + "evaluation_setup/fold1_train.csv, evaluation_setup/fold1_evaluate.csv found there")
        }
    }

    func testFileNameParsing() {
        let name = TAU2020FileName("audio/street_pedestrian-lyon-1162-44093-a.wav")
        XCTAssertEqual(name?.scene, "street_pedestrian")
        XCTAssertEqual(name?.city, "lyon")
        XCTAssertEqual(name?.locationID, "1162")
        XCTAssertEqual(name?.segmentID, 44093)
        XCTAssertEqual(name?.device, "a")
        XCTAssertEqual(name?.identifier, "lyon-1162")
        XCTAssertNil(TAU2020FileName("audio/street_pedestrian-lyon-1162-x-a.wav"))
        XCTAssertNil(TAU2020FileName("audio/street_pedestrian-lyon-1162-44093-a.flac"))
        XCTAssertNil(TAU2020FileName("audio/street-pedestrian-lyon-1162-44093-a.wav"))
        XCTAssertNil(TAU2020FileName("audio/street_pedestrian--1162-44093-a.wav"))
    }
}
