import XCTest
import Corpora

final class CorpusRegistryTests: XCTestCase {
    func testNamesFoldersAndClasses() throws {
        XCTAssertEqual(CorpusRegistry.names, ["tau2020", "cochlscene", "cas2023", "tau2022", "dcase2020t2", "starss22", "tau-nigens2021", "folder"])
        XCTAssertNil(CorpusRegistry.recipe(named: "TAU2020"))
        let tau = try XCTUnwrap(CorpusRegistry.recipe(named: "tau2020"))
        XCTAssertEqual(tau.folderName, "TAU-urban-acoustic-scenes-2020-mobile-development")
        XCTAssertEqual(tau.classes, ["airport", "bus", "metro", "metro_station", "park", "public_square",
                                     "shopping_mall", "street_pedestrian", "street_traffic", "tram"])
        let cochl = try XCTUnwrap(CorpusRegistry.recipe(named: "cochlscene"))
        XCTAssertEqual(cochl.folderName, "CochlScene")
        XCTAssertEqual(cochl.classes, cochl.classes.sorted())
        XCTAssertEqual(cochl.classes.count, 13)
        XCTAssertEqual(CorpusRegistry.recipe(named: "cas2023")?.folderName, "CAS2023")
    }

    func testRecordingCodableHasExactlyTheCatalogFields() throws {
        let r = Recording(id: "cas2023/x_1", corpus: "cas2023", path: "/d/x_1.wav", label: nil, split: "dev",
                          city: "Xi'an", location: "Xi'an", recordTime: 5)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["id", "corpus", "path", "split", "city", "location", "recordTime"])
        XCTAssertEqual(try JSONDecoder().decode(Recording.self, from: JSONEncoder().encode(r)), r)
        XCTAssertFalse(r.labeled)
    }

    func testCatalogSortsById() {
        let a = Recording(id: "t/b", corpus: "t", path: "/b", label: "x", split: "s")
        let b = Recording(id: "t/a", corpus: "t", path: "/a", label: nil, split: "s")
        XCTAssertEqual(CorpusCatalog(corpus: "t", recordings: [a, b], issues: [], classes: []).recordings.map { $0.id }, ["t/a", "t/b"])
    }
}
