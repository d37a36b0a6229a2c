import Foundation
import Labels
import Store
import TestSupport
import XCTest

/// `LabelMerge` over a tiny store of TAU 2020, CochlScene and CAS 2023 rows, with the shipped
/// asc10 taxonomy.
final class LabelMergeTests: XCTestCase {
    /// (corpus, original label or nil for unlabeled) of each store row, in row order.
    private static let rows: [(String, String?)] = [
        ("tau2020", "airport"), ("tau2020", "airport"), ("tau2020", "bus"), ("tau2020", "street_pedestrian"),
        ("tau2020", "tram"), ("tau2020", "park"), ("cochlscene", "Car"), ("cochlscene", "Subway"),
        ("cochlscene", "Restaurant"), ("cochlscene", "Cafe"), ("cochlscene", "Bus"), ("cas2023", "Bus"),
        ("cas2023", "Airport"), ("cas2023", "Bar"), ("cas2023", nil), ("cas2023", nil),
    ]

    private static let schema = [
        ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: [1, 2, 3]),
        ColumnSpec(name: "meta/id", dtype: .string),
        ColumnSpec(name: "meta/label", dtype: .int32),
        ColumnSpec(name: "meta/source", dtype: .string),
        ColumnSpec(name: "meta/split", dtype: .string),
    ]

    static func taxonomyURL() -> URL { Repository.url("manifests/taxonomies/asc10.yaml") }

    private static func features(_ row: Int) -> [Float] { (0..<6).map { Float(row * 10 + $0) } }

    /// Writes the store (two shards of 8 rows) and returns its directory.
    private func makeStore() throws -> URL {
        let store = try TemporaryFolder.forTest(self).appendingPathComponent("ingest")
        let classes = Array(Set(Self.rows.compactMap(\.1))).sorted()
        var shards: [ShardInfo] = []
        for shard in 0..<2 {
            let writer = try ShardWriter(directory: store.appendingPathComponent("shards"),
                                         name: "part-0000\(shard)", schema: Self.schema, rowCount: 8,
                                         attributes: ["schema_version": "1"])
            for local in 0..<8 {
                let row = shard * 8 + local
                let (corpus, label) = Self.rows[row]
                try writer.write(row: [
                    "features/logmel": .float32(Self.features(row)),
                    "meta/id": .string("\(corpus)-\(row)"),
                    "meta/label": .int32(label.flatMap { classes.firstIndex(of: $0) }.map(Int32.init) ?? -1),
                    "meta/source": .string(corpus),
                    "meta/split": .string(row % 4 == 3 ? "test" : "train"),
                ], at: local)
            }
            shards.append(try writer.commit().inFolder("shards"))
        }
        try Manifest(pipeline: "ingest", configHash: "feed", createdBy: "LabelMergeTests", columns: Self.schema,
                     classes: classes, shards: shards, rowCount: Self.rows.count).write(to: store)
        return store
    }

    func testShippedTaxonomyMatchesTableI() throws {
        let taxonomy = try Taxonomy.load(from: Self.taxonomyURL())
        XCTAssertEqual(taxonomy.classes, ["Airport", "Bus", "Car", "Metro", "Metro Station", "Public square",
                                          "Restaurant", "Shopping Mall", "Traffic Street", "Urban Park"])
        XCTAssertEqual(taxonomy.unifiedClass(corpus: "tau2020", label: "street_traffic"), "Traffic Street")
        XCTAssertEqual(taxonomy.unifiedClass(corpus: "tau2020", label: "metro_station"), "Metro Station")
        XCTAssertNil(taxonomy.unifiedClass(corpus: "tau2020", label: "tram"))
        XCTAssertEqual(taxonomy.unifiedClass(corpus: "cochlscene", label: "SubwayStation"), "Metro Station")
        XCTAssertNil(taxonomy.unifiedClass(corpus: "cochlscene", label: "Restroom"))
        XCTAssertNil(taxonomy.unifiedClass(corpus: "cas2023", label: "Bus"))
        let casClasses = ["Bus", "Airport", "Metro", "Restaurant", "Shopping mall", "Public square", "Urban park",
                          "Traffic street", "Construction site", "Bar"]
        XCTAssertEqual(casClasses.map { taxonomy.coarseClass(corpus: "cas2023", label: $0) },
                       ["indoor", "outdoor", "indoor", "indoor", "indoor", "outdoor", "outdoor", "outdoor", "outdoor", "indoor"])
        XCTAssertEqual(taxonomy.keepUnlabeled, ["cas2023"])
        // Airport only from TAU; Car and Restaurant only from CochlScene (Table I).
        let sources = { (name: String) in taxonomy.mappings.keys.sorted().filter { corpus in
            taxonomy.mappings[corpus]?.values.contains(name) ?? false } }
        XCTAssertEqual(sources("Airport"), ["tau2020"])
        XCTAssertEqual(sources("Car"), ["cochlscene"])
        XCTAssertEqual(sources("Restaurant"), ["cochlscene"])
        XCTAssertEqual(sources("Bus"), ["cochlscene", "tau2020"])
    }

    func testInvalidTaxonomiesAreRejected() {
        XCTAssertThrowsError(try Taxonomy(yaml: "name: x\nclasses: [A]\nmappings: {c: {a: B}}\n")) {
            XCTAssertTrue("\($0)".hasSuffix("mappings.c.a: maps to 'B', which is not one of the classes"), "\($0)")
        }
        XCTAssertThrowsError(try Taxonomy(yaml: "name: x\nclasses: [A, A]\n"))
        XCTAssertThrowsError(try Taxonomy(yaml: "name: x\nclasses: [A]\ncoarse: {name: c, classes: [in], map: {c: {A: out}}}\n"))
        XCTAssertNoThrow(try Taxonomy(yaml: "name: x\nclasses: [A]\nmappings: {c: {a: A, b: null, d: ~}}\n"))
    }

    /// `airprot: Airport` used to drop every airport row without a word: now the merge names the
    /// entry in its report, its report file and the view's manifest.
    func testAnEntryMatchingNoLabelIsAWarningThatNamesIt() throws {
        let store = try makeStore()
        let out = store.deletingLastPathComponent().appendingPathComponent("typo")
        let text = try String(contentsOf: Self.taxonomyURL(), encoding: .utf8)
            .replacingOccurrences(of: "    airport: Airport", with: "    airprot: Airport")
        let taxonomy = try Taxonomy(yaml: text)
        let report = try LabelMerge.run(store: store, taxonomy: taxonomy, out: out)
        let expected = "mappings.tau2020.airprot: matches no label of corpus 'tau2020' in the store; did you mean 'airport'?"
        XCTAssertTrue(report.warnings.contains(expected), "\(report.warnings)")
        XCTAssertEqual(report.total(of: "Airport"), 0)
        let file = try String(contentsOf: out.appendingPathComponent("reports/labels-merge.txt"), encoding: .utf8)
        XCTAssertTrue(file.contains("warning: " + expected), file)
        let manifest = try Manifest.load(from: out)
        XCTAssertTrue(String(describing: manifest.parameters["warnings"]).contains("airprot"), "\(manifest.parameters)")
        // The shipped taxonomy's tau2020 airport entry matches, so it is not among the warnings.
        let clean = try LabelMerge.run(store: store, taxonomy: try Taxonomy.load(from: Self.taxonomyURL()),
                                       out: store.deletingLastPathComponent().appendingPathComponent("clean"))
        XCTAssertFalse(clean.warnings.contains { $0.hasPrefix("mappings.tau2020.airport") }, "\(clean.warnings)")
    }

    func testMergeWritesViewWithUnifiedAndCoarseLabels() throws {
        let store = try makeStore()
        let out = store.deletingLastPathComponent().appendingPathComponent("asc10")
        let taxonomy = try Taxonomy.load(from: Self.taxonomyURL())
        let report = try LabelMerge.run(store: store, taxonomy: taxonomy, out: out)

        let view = try StoreReader(manifest: out)
        let kept = [0, 1, 2, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15]
        XCTAssertEqual(view.rowCount, kept.count)
        XCTAssertEqual(view.classes, taxonomy.classes)
        XCTAssertEqual(view.manifest.columnClasses?["meta/label_coarse"], ["indoor", "outdoor"])
        XCTAssertEqual(try view.readStrings("meta/id"), kept.map { "\(Self.rows[$0].0)-\($0)" })
        XCTAssertEqual(try view.readInt32("meta/label"), [0, 0, 1, 9, 2, 3, 6, 1, -1, -1, -1, -1, -1])
        XCTAssertEqual(try view.readInt32("meta/label_coarse"), [-1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 0, -1, -1])
        XCTAssertEqual(try view.readStrings("meta/source_label"), kept.map { Self.rows[$0].1 ?? "" })
        for (n, row) in kept.enumerated() {
            XCTAssertEqual(try view.readRow(n, columns: ["features/logmel"]).floats("features/logmel"), Self.features(row))
        }
        XCTAssertTrue(view.verify().isValid)

        // No features copied: the view's files hold only the three label columns and are small.
        let files = try FileManager.default.subpathsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".h5") }.sorted()
        XCTAssertEqual(files, try Manifest.load(from: out).columnFiles?.map(\.file))
        XCTAssertEqual(files.count, 2)
        XCTAssertTrue(files.allSatisfy { $0.hasPrefix("columns/labels-") }, "\(files)")
        for file in files {
            XCTAssertEqual(try ShardReader(url: out.appendingPathComponent(file)).columnNames,
                           ["meta/label", "meta/label_coarse", "meta/source_label"])
        }
        let manifest = try Manifest.load(from: out)
        XCTAssertEqual(manifest.kind, .view)
        XCTAssertEqual(manifest.parent, "../ingest/manifest.json")
        XCTAssertEqual(manifest.overriddenColumns, ["meta/label"])
        XCTAssertEqual(manifest.addedColumns, ["meta/label_coarse", "meta/source_label"])
        XCTAssertEqual(manifest.parameters["keep"], "all")
        XCTAssertNotEqual(manifest.configHash, "feed")
        XCTAssertTrue(manifest.counts.contains(ClassCount(corpus: "tau2020", label: "Airport", split: "train", count: 2)))
        XCTAssertTrue(manifest.counts.contains(ClassCount(corpus: "cas2023", label: nil, split: "test", count: 2)))
        XCTAssertEqual(manifest.counts.reduce(0) { $0 + $1.count }, kept.count)

        XCTAssertEqual(report.total(of: "Bus"), 2)
        let expected = """
        Scene           cochlscene  tau2020  Total
        Airport                  0        2      2
        Bus                      1        1      2
        Car                      1        0      1
        Metro                    1        0      1
        Metro Station            0        0      0
        Public square            0        0      0
        Restaurant               1        0      1
        Shopping Mall            0        0      0
        Traffic Street           0        0      0
        Urban Park               0        1      1
        Total                    4        4      8

        Coarse only  cas2023  Total
        indoor             2      2
        outdoor            1      1
        Total              3      3

        Unlabeled kept: cas2023 2
        Dropped: cochlscene 1, tau2020 2
        Rows: 16 in, 13 kept

        """
        XCTAssertEqual(report.table(), expected)
        // The report file is the table, then one line per taxonomy entry this small store does not match.
        let file = try String(contentsOf: out.appendingPathComponent("reports/labels-merge.txt"), encoding: .utf8)
        XCTAssertEqual(file, expected + report.warnings.map { "warning: \($0)\n" }.joined())
        XCTAssertTrue(report.warnings.contains("mappings.tau2020.metro: matches no label of corpus 'tau2020' in the store"), "\(report.warnings)")
    }

    func testKeepUnifiedDropsCoarseOnlyRowsButKeepsListedUnlabeled() throws {
        let store = try makeStore()
        let out = store.deletingLastPathComponent().appendingPathComponent("unified")
        var taxonomy = try Taxonomy.load(from: Self.taxonomyURL())
        let report = try LabelMerge.run(store: store, taxonomy: taxonomy, out: out, keep: .unified)
        XCTAssertEqual(report.rowsOut, 10)
        XCTAssertEqual(try StoreReader(manifest: out).readInt32("meta/label").suffix(2), [-1, -1])

        taxonomy.keepUnlabeled = []
        let strict = store.deletingLastPathComponent().appendingPathComponent("strict")
        let strictReport = try LabelMerge.run(store: store, taxonomy: taxonomy, out: strict, keep: .unified)
        XCTAssertEqual(strictReport.rowsOut, 8)
        XCTAssertEqual(strictReport.dropped["cas2023"], ["Bus": 1, "Airport": 1, "Bar": 1, "": 2])
        XCTAssertFalse(try StoreReader(manifest: strict).readInt32("meta/label").contains(-1))
    }

    func testCountsAreGroupedByThousandsLikeThePaper() {
        XCTAssertEqual([0, 999, 2302, 59310, 1_234_567, -4321].map(LabelMergeReport.grouped),
                       ["0", "999", "2,302", "59,310", "1,234,567", "-4,321"])
    }
}
