import XCTest
@testable import Corpora

/// Line numbers, BOM, CRLF, blank lines and quoting in the metadata reader every recipe uses.
final class MetadataTableTests: XCTestCase {
    private let url = URL(fileURLWithPath: "/tmp/x.csv")

    private func parse(_ text: String, delimiter: Character = ",", header: Bool = true) -> MetadataTable {
        MetadataTable.parse(Data(text.utf8), url: url, delimiter: delimiter) { _ in header }
    }

    func testBOMCRLFBlankLinesAndLineNumbers() {
        let table = parse("\u{feff}filename,scene_label\r\n\r\na,Bus\r\nb,\r\n   \r\nc,Xi'an\r\n\r\n")
        XCTAssertEqual(table.header, ["filename", "scene_label"])
        XCTAssertEqual(table.headerLine, 1)
        XCTAssertEqual(table.lines, [
            MetadataLine(number: 3, fields: ["a", "Bus"]),
            MetadataLine(number: 4, fields: ["b", ""]),
            MetadataLine(number: 6, fields: ["c", "Xi'an"]),
        ])
    }

    func testNoTrailingNewlineAndTabs() {
        let table = parse("x\ty\n1\t\t3", delimiter: "\t", header: false)
        XCTAssertNil(table.header)
        XCTAssertEqual(table.lines, [MetadataLine(number: 1, fields: ["x", "y"]), MetadataLine(number: 2, fields: ["1", "", "3"])])
    }

    func testQuotedFieldKeepsItsDelimiter() {
        let table = parse("h\n\"a,b\",c\nplain\"quote,d\n")
        XCTAssertEqual(table.lines.map { $0.fields }, [["a,b", "c"], ["plain\"quote", "d"]])
        XCTAssertEqual(table.lines.map { $0.number }, [2, 3])
    }

    func testEmptyAndHeaderOnlyFiles() {
        XCTAssertEqual(parse("").lines, [])
        XCTAssertNil(parse("").header)
        let headerOnly = parse("\u{feff}filename\n")
        XCTAssertEqual(headerOnly.header, ["filename"])
        XCTAssertEqual(headerOnly.lines, [])
    }

    func testInvalidUTF8CostsOnlyItsLine() {
        var data = Data("h\nok,1\n".utf8)
        data.append(contentsOf: [0x62, 0xFF, 0x2C, 0x32, 0x0A])
        data.append(Data("ok2,3\n".utf8))
        let table = MetadataTable.parse(data, url: url, delimiter: ",") { _ in true }
        XCTAssertEqual(table.lines.map { $0.fields }, [["ok", "1"], ["b\u{fffd}", "2"], ["ok2", "3"]])
    }

    func testUnreadableFileThrowsNamingIt() {
        let missing = URL(fileURLWithPath: "/nonexistent/meta.csv")
        XCTAssertThrowsError(try MetadataTable.read(missing, delimiter: "\t") { _ in true }) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot read /nonexistent/meta.csv: "), "\(error)")
        }
    }
}
