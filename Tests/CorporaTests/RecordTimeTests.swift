import XCTest
import Corpora

final class RecordTimeTests: XCTestCase {
    func testParsesExactFormatAsUTC() {
        XCTAssertEqual(RecordTime.parse("1970-01-01 00:00:00"), 0)
        XCTAssertEqual(RecordTime.parse("1969-12-31 23:59:59"), -1)
        XCTAssertEqual(RecordTime.parse("2023-06-18 18:44:34"), 1_687_113_874)
        XCTAssertEqual(RecordTime.parse("2023-04-21 12:12:02"), 1_682_079_122)
        XCTAssertEqual(RecordTime.parse("2024-02-29 00:00:00"), 1_709_164_800)
        XCTAssertEqual(RecordTime.parse("2000-03-01 00:00:00"), 951_868_800)
    }

    func testRejectsAnythingElse() {
        for bad in ["2023-06-18 18:44", "2023-06-18T18:44:34", "2023-02-29 00:00:00", "2023-13-01 00:00:00",
                    "2023-04-31 00:00:00", "2023-06-18 24:00:00", "2023-06-18 18:60:00", "2023-06-18 18:44:60",
                    "2023-6-18 18:44:345", " 2023-06-18 18:44:3", "", "2023-06-18 18:44:34 "] {
            XCTAssertNil(RecordTime.parse(bad), bad)
        }
    }

    func testFormatIsTheInverse() {
        XCTAssertEqual(RecordTime.format(1_687_113_874), "2023-06-18 18:44:34")
        XCTAssertEqual(RecordTime.format(-1), "1969-12-31 23:59:59")
        for t: Int64 in stride(from: -5_000_000_000, to: 5_000_000_000, by: 987_654_321) {
            XCTAssertEqual(RecordTime.parse(RecordTime.format(t)), t)
        }
    }
}
