import TestSupport
import XCTest
@testable import Corpora

/// The CAS 2023 recipe on the real APSIPA 2025 metadata (BOM, LF, `Xi'an` unquoted, 80 % empty
/// labels) and on hand-written ICME 2024 files (CRLF).
final class CAS2023RecipeTests: XCTestCase {
    private static let real = RealCatalogCache("cas-real") { root in
        _ = try RealMetadataFixture.makeCAS(in: root)
        return try CAS2023Recipe().catalog(root: root)
    }

    private func realCatalog() throws -> CorpusCatalog { try Self.real.get() }

    override class func tearDown() {
        real.remove()
        super.tearDown()
    }


    func testRealDevelopmentCounts() throws {
        let catalog = try realCatalog()
        XCTAssertEqual(catalog.issues, [])
        XCTAssertEqual(catalog.classes, ["Bus", "Airport", "Metro", "Restaurant", "Shopping mall",
                                         "Public square", "Urban park", "Traffic street", "Construction site", "Bar"])
        let dev = catalog.recordings.filter { $0.split == "dev" }
        XCTAssertEqual(dev.count, 8_700)
        XCTAssertEqual(dev.filter { $0.labeled }.count, 1_740)
        XCTAssertEqual(dev.filter { !$0.labeled }.count, 6_960)
        XCTAssertEqual(tally(dev.filter { $0.labeled }) { $0.label }, [
            "Airport": 220, "Metro": 209, "Bus": 188, "Public square": 174, "Restaurant": 173,
            "Construction site": 173, "Bar": 165, "Urban park": 148, "Shopping mall": 147, "Traffic street": 143,
        ])
        XCTAssertEqual(tally(dev) { $0.city }, [
            "Xi'an": 3900, "Luoyang": 1250, "Hefei": 950, "Shanghai": 700, "Chongqing": 650,
            "Jinan": 450, "Shangrao": 450, "Liupanshui": 350,
        ])
        XCTAssertEqual(tally(dev.filter { $0.labeled }) { $0.city }, [
            "Xi'an": 776, "Luoyang": 237, "Hefei": 195, "Shanghai": 134, "Chongqing": 132,
            "Jinan": 94, "Shangrao": 100, "Liupanshui": 72,
        ])
        XCTAssertEqual(Set(dev.filter { $0.label == "Public square" || $0.label == "Traffic street" }.compactMap { $0.city }), ["Xi'an"])
        XCTAssertEqual(Set(dev.filter { $0.label == "Bar" }.compactMap { $0.city }), ["Chongqing", "Luoyang"])
        XCTAssertTrue(dev.allSatisfy { $0.location == $0.city && $0.device == nil && $0.recordTime != nil })
    }

    func testRealEvaluationCounts() throws {
        let eval = try realCatalog().recordings.filter { $0.split == "eval" }
        XCTAssertEqual(eval.count, 1_100)
        XCTAssertTrue(eval.allSatisfy { !$0.labeled })
        XCTAssertEqual(tally(eval) { $0.city }, [
            "Xi'an": 200, "Luoyang": 200, "Chongqing": 150, "Shenyang": 100, "Tianjin": 100,
            "Nanchang": 50, "Guangzhou": 50, "Changchun": 50, "Shangrao": 50, "Taiyuan": 50, "Liupanshui": 50, "Shanghai": 50,
        ])
    }

    func testRealFirstRowSurvivesTheByteOrderMark() throws {
        let catalog = try realCatalog()
        XCTAssertFalse(catalog.recordings.contains { $0.id.contains("\u{feff}") || $0.path.contains("\u{feff}") })
        let first = try XCTUnwrap(catalog.recordings.first { $0.id == "cas2023/40c8570776704268be56bc0d1fa8a16f60_1" })
        XCTAssertEqual(first.city, "Xi'an")
        XCTAssertEqual(first.location, "Xi'an")
        XCTAssertNil(first.label)
        XCTAssertEqual(first.split, "dev")
        XCTAssertEqual(first.recordTime, 1_687_113_874) // 2023-06-18 18:44:34 UTC
        XCTAssertTrue(first.path.hasSuffix("/CAS2023/ICME2024_GC_ASC_dev/40c8570776704268be56bc0d1fa8a16f60_1.wav"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.path))
    }

    func testRealRecordTimesSpanTheDocumentedRange() throws {
        let times = try realCatalog().recordings.filter { $0.split == "dev" }.compactMap { $0.recordTime }
        XCTAssertEqual(times.count, 8_700)
        XCTAssertEqual(times.min().map(RecordTime.format), "2023-04-21 12:12:02")
        XCTAssertEqual(times.max().map(RecordTime.format), "2023-08-28 10:07:43")
    }

    // MARK: - Hand-written cases

    private func wavs(_ dir: TemporaryFolder, split: String, _ names: [String]) throws {
        for name in names { try dir.write("", to: "CAS2023/ICME2024_GC_ASC_\(split)/\(name).wav") }
    }

    func testICMEFilesAloneWork() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("filename,scene_label\r\naa_1,Bus\r\nbb_2,\r\ncc_1,Urban park\r\ndd_1,Park\r\nee_1\r\nff_1,Bar\r\n\r\n",
                      to: "CAS2023/ICME2024_ASC_dev_label.csv")
        try dir.write("filename\r\nzz_1\r\nyy_2\r\n", to: "CAS2023/ICME2024_ASC_eval.csv")
        try wavs(dir, split: "dev", ["aa_1", "bb_2", "cc_1", "dd_1", "ee_1"])
        try wavs(dir, split: "eval", ["zz_1", "yy_2"])

        let catalog = try CAS2023Recipe().catalog(root: dir.url.appendingPathComponent("CAS2023"))
        XCTAssertEqual(catalog.recordings.map { "\($0.id) \($0.split) \($0.label ?? "<unlabeled>")" }, [
            "cas2023/aa_1 dev Bus", "cas2023/bb_2 dev <unlabeled>", "cas2023/cc_1 dev Urban park",
            "cas2023/yy_2 eval <unlabeled>", "cas2023/zz_1 eval <unlabeled>",
        ])
        XCTAssertTrue(catalog.recordings.allSatisfy { $0.city == nil && $0.location == nil && $0.recordTime == nil })
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "ICME2024_ASC_dev_label.csv line 5: scene_label 'Park' is not one of the 10 CAS 2023 classes",
            "ICME2024_ASC_dev_label.csv line 6: expected 2 comma-separated fields (filename,scene_label), found 1",
            "ICME2024_ASC_dev_label.csv line 7: ICME2024_GC_ASC_dev/ff_1.wav is listed but missing",
        ])
    }

    func testAPSIPAWinsOverICMEAndBadTimesAreIssues() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("filename,scene_label\r\naa_1,Bus\r\nbb_2,Bar\r\n", to: "CAS2023/ICME2024_ASC_dev_label.csv")
        try dir.write("\u{feff}filename,location,record_time,scene_label\naa_1,Xi'an,2023-05-01 00:00:01,Metro\n"
                      + "bb_2,Hefei,2023-05-01 25:00:00,\ncc_3,Jinan,,\naa_1,Jinan,2023-05-01 00:00:01,Bus\n",
                      to: "CAS2023/metadata/APSIPA2025_GC_ASC_dev_metadata.csv")
        try wavs(dir, split: "dev", ["aa_1", "bb_2", "cc_3"])

        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings, [
            Recording(id: "cas2023/aa_1", corpus: "cas2023",
                      path: dir.url.appendingPathComponent("CAS2023/ICME2024_GC_ASC_dev/aa_1.wav").standardizedFileURL.path,
                      label: "Metro", split: "dev", city: "Xi'an", location: "Xi'an", recordTime: 1_682_899_201),
            Recording(id: "cas2023/cc_3", corpus: "cas2023",
                      path: dir.url.appendingPathComponent("CAS2023/ICME2024_GC_ASC_dev/cc_3.wav").standardizedFileURL.path,
                      label: nil, split: "dev", city: "Jinan", location: "Jinan", recordTime: nil),
        ])
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "APSIPA2025_GC_ASC_dev_metadata.csv line 3: record_time '2023-05-01 25:00:00' is not YYYY-MM-DD HH:MM:SS",
            "APSIPA2025_GC_ASC_dev_metadata.csv line 5: aa_1 is already listed in APSIPA2025_GC_ASC_dev_metadata.csv line 2",
        ])
    }

    func testHeaderWithoutFilenameAndMissingAudioFolder() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("name,label\nx,Bus\n", to: "CAS2023/ICME2024_ASC_dev_label.csv")
        try dir.write("filename\nx_1\ny_1\n", to: "CAS2023/ICME2024_ASC_eval.csv")
        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings, [])
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "ICME2024_ASC_dev_label.csv line 1: the header has no 'filename' column (expected filename,location,record_time,scene_label or filename,scene_label); the dev split was skipped",
            "ICME2024_GC_ASC_eval: the audio folder is missing; the 2 recordings listed in ICME2024_ASC_eval.csv were skipped",
        ])
    }

    func testNoMetadataThrows() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("CAS2023/ICME2024_GC_ASC_dev"),
                                                withIntermediateDirectories: true)
        XCTAssertThrowsError(try CAS2023Recipe().catalog(root: dir.url.appendingPathComponent("CAS2023"))) { error in
            XCTAssertEqual("\(error)", "\(dir.url.appendingPathComponent("CAS2023").standardizedFileURL.path) is not a cas2023 corpus: "
                           + "none of APSIPA2025_GC_ASC_dev_metadata.csv, ICME2024_ASC_dev_label.csv, "
                           + "APSIPA2025_GC_ASC_eval_metadata.csv, ICME2024_ASC_eval.csv found there")
        }
    }
}
