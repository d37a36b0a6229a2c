import Foundation
import Labels
import XCTest

/// Taxonomy files are strict as pipeline files are: an unknown key, or an entry mapping to a class
/// the taxonomy does not declare, is an error naming the file and the entry.
final class TaxonomyStrictTests: XCTestCase {
    func error(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Taxonomy(yaml: yaml, source: "manifests/taxonomies/x.yaml")
            XCTFail("parsed", file: file, line: line)
            return ""
        } catch {
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("taxonomy manifests/taxonomies/x.yaml: "), text, file: file, line: line)
            return text
        }
    }

    func testUnknownKeysAreRefusedWithTheNearestKey() {
        XCTAssertTrue(error("name: x\nclasses: [A]\nmapping: {c: {a: A}}\n")
            .hasSuffix("unknown key 'mapping' at the top level; did you mean 'mappings'?"))
        XCTAssertTrue(error("name: x\nclasses: [A]\nkeep_unlabeled: [c]\n").contains("unknown key 'keep_unlabeled' at the top level"))
        XCTAssertTrue(error("name: x\nclasses: [A]\ncoarse: {name: c, classes: [in], maps: {c: {a: in}}}\n")
            .hasSuffix("unknown key 'maps' in coarse; did you mean 'map'?"))
        XCTAssertTrue(error("classes: [A]\n").contains("missing key 'name'"))
    }

    func testAnEntryMappingToAnUndeclaredClassNamesTheEntry() {
        XCTAssertTrue(error("name: x\nclasses: [Airport, Bus]\nmappings: {tau2020: {airport: Airprot, bus: Bus}}\n")
            .hasSuffix("mappings.tau2020.airport: maps to 'Airprot', which is not one of the classes; did you mean 'Airport'?"))
        XCTAssertTrue(error("name: x\nclasses: [A]\ncoarse: {name: c, classes: [indoor], map: {cas: {A: outdoor}}}\n")
            .hasSuffix("coarse.map.cas.A: maps to 'outdoor', which is not one of coarse.classes"))
        XCTAssertTrue(error("name: x\nclasses: [A, B, A]\n").hasSuffix("classes: 'A' is declared twice"))
    }

    func testUnmatchedEntriesAreNamed() throws {
        let taxonomy = try Taxonomy(yaml: """
            name: x
            classes: [Airport, Bus]
            mappings:
              tau2020: {airprot: Airport, bus: Bus}
              cochlscene: {Bus: Bus}
            coarse: {name: io, classes: [indoor], map: {tau2020: {Bus: indoor, buss: indoor}}}
            keepUnlabeled: [cas2023]
            """)
        let warnings = taxonomy.unmatchedEntries(labels: ["tau2020": ["airport", "bus"]])
        XCTAssertEqual(warnings, [
            "mappings.cochlscene: the store has no rows of corpus 'cochlscene' (it holds tau2020)",
            "mappings.tau2020.airprot: matches no label of corpus 'tau2020' in the store; did you mean 'airport'?",
            "coarse.map.tau2020.buss: matches no label of corpus 'tau2020' in the store nor a class its labels map to; did you mean 'Bus'?",
            "keepUnlabeled: the store has no rows of corpus 'cas2023' (it holds tau2020)",
        ])
        XCTAssertEqual(taxonomy.unmatchedEntries(labels: ["tau2020": ["airprot", "bus", "Bus", "buss"], "cochlscene": ["Bus"], "cas2023": []]), [])
    }
}
