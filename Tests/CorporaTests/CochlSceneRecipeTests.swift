import TestSupport
import XCTest
@testable import Corpora

/// The CochlScene folder walk, with and without the zip's extra `CochlScene/` level, and `Data_info.tsv`.
final class CochlSceneRecipeTests: XCTestCase {
    private func makeCorpus(_ dir: TemporaryFolder, prefix: String) throws {
        for path in [
            "Train/Bus/Bus_user0009_14897252_005.wav",
            "Train/Bus/Bus_user0009_14897252_004.wav",
            "Train/Cafe/Cafe_user0012_100_001.WAV",
            "Train/Cafe/notes.txt",
            "Val/SubwayStation/SubwayStation_user0500_42_000.wav",
            "Test/Kitchen/kitchen-odd-name.wav",
            "Test/Kitchens/Kitchen_user0001_1_001.wav",
            "Test/stray.wav",
        ] {
            try dir.write("", to: prefix + path)
        }
    }

    func testFolderWalkWithTheExtraLevel() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try makeCorpus(dir, prefix: "CochlScene/CochlScene/")
        for root in [dir.url, dir.url.appendingPathComponent("CochlScene"), dir.url.appendingPathComponent("CochlScene/CochlScene")] {
            let catalog = try CochlSceneRecipe().catalog(root: root)
            XCTAssertEqual(catalog.recordings.map { "\($0.id)|\($0.split)|\($0.label ?? "-")|\($0.location ?? "-")" }, [
                "cochlscene/Bus_user0009_14897252_004|Train|Bus|user0009",
                "cochlscene/Bus_user0009_14897252_005|Train|Bus|user0009",
                "cochlscene/Cafe_user0012_100_001|Train|Cafe|user0012",
                "cochlscene/SubwayStation_user0500_42_000|Val|SubwayStation|user0500",
                "cochlscene/kitchen-odd-name|Test|Kitchen|-",
            ], root.path)
            XCTAssertTrue(catalog.recordings.allSatisfy { $0.device == nil && $0.city == nil && $0.corpus == "cochlscene" })
            XCTAssertTrue(catalog.recordings[0].path.hasSuffix("/CochlScene/CochlScene/Train/Bus/Bus_user0009_14897252_004.wav"))
            XCTAssertEqual(catalog.issues.map { $0.message }, [
                "Kitchens: 'Kitchens' is not one of the 13 CochlScene classes; its 1 .wav files were skipped",
                "stray.wav: is not inside a class folder, so it has no label; skipped",
            ])
            XCTAssertEqual(catalog.classes.count, 13)
        }
    }

    func testDataInfoReportsMissingFilesAndBadLines() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try makeCorpus(dir, prefix: "CochlScene/")
        try dir.write("""
            Train/Bus/Bus_user0009_14897252_005.wav\t0\tTrain
            Train/Bus/Bus_user0009_14897252_006.wav\t0\tTrain
            Val/SubwayStation/SubwayStation_user0500_42_000.wav\t13\tVal
            Test/Kitchen/kitchen-odd-name.wav\t5\tTesting
            Test/Kitchen/kitchen-odd-name.wav\t5

            """, to: "CochlScene/Data_info.tsv")
        let catalog = try CochlSceneRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.count, 5)
        XCTAssertEqual(Array(catalog.issues.map { $0.message }.dropFirst(2)), [
            "Data_info.tsv line 2: Train/Bus/Bus_user0009_14897252_006.wav is listed but missing",
            "Data_info.tsv line 3: label index '13' is not an integer in 0...12",
            "Data_info.tsv line 4: split 'Testing' is not one of Train, Val, Test",
            "Data_info.tsv line 5: expected 3 TAB-separated fields (path, label index, split), found 2",
        ])
    }

    func testDataInfoHeaderIsDetected() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("", to: "CochlScene/Val/Car/Car_user0001_1_000.wav")
        try dir.write("path\tlabel\tsplit\r\nVal/Car/Car_user0001_1_000.wav\t2\tVal\r\nVal/Car/Car_user0001_1_001.wav\t2\tVal\r\n",
                      to: "CochlScene/Data_info.tsv")
        let catalog = try CochlSceneRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map { $0.id }, ["cochlscene/Car_user0001_1_000"])
        XCTAssertEqual(catalog.issues.map { $0.message }, ["Data_info.tsv line 3: Val/Car/Car_user0001_1_001.wav is listed but missing"])
    }

    func testNoSplitFoldersThrows() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("", to: "CochlScene/readme.txt")
        XCTAssertThrowsError(try CochlSceneRecipe().catalog(root: dir.url)) { error in
            XCTAssertEqual("\(error)", "\(dir.url.appendingPathComponent("CochlScene").standardizedFileURL.path) is not a cochlscene corpus: "
                           + "none of Train/, Val/, Test/, Data_info.tsv found there")
        }
    }

    func testUserParsing() {
        XCTAssertEqual(CochlSceneRecipe.user(inFileName: "Bus_user0009_14897252_005.wav"), "user0009")
        XCTAssertEqual(CochlSceneRecipe.user(inFileName: "ResidentialArea_user0831_1_999.wav"), "user0831")
        XCTAssertNil(CochlSceneRecipe.user(inFileName: "Bus_user009_14897252_005.wav"))
        XCTAssertNil(CochlSceneRecipe.user(inFileName: "Bus_user0009_14897252_05.wav"))
        XCTAssertNil(CochlSceneRecipe.user(inFileName: "Bus_user0009_148x_005.wav"))
        XCTAssertNil(CochlSceneRecipe.user(inFileName: "Bus_person0009_14897252_005.wav"))
        XCTAssertNil(CochlSceneRecipe.user(inFileName: "Bus_user0009_005.wav"))
    }
}
