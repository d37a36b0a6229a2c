import Foundation
import Labels
import Store
import XCTest

/// Eq. 2's indoor/outdoor prior on model B's scores changes the step-2 agreement.
final class PseudoLabelsPriorTests: XCTestCase {
    static let taxonomy = """
    name: prior-test
    classes: [Bus, Metro, Park, Square]
    mappings:
      cas2023:
        Bus: Bus
    coarse:
      name: indoor_outdoor
      classes: [indoor, outdoor]
      map:
        cas2023:
          Bus: indoor
          Metro: indoor
          Park: outdoor
          Square: outdoor
    keepUnlabeled: [cas2023]
    """

    func testPriorFlipsModelBToTheOutdoorClass() throws {
        let root = try LabelsFixture.temporaryDirectory(for: self)
        let store = try LabelsFixture.makeStore(at: root.appendingPathComponent("store"), rows: 10, label: { _ in -1 })
        let ids = try StoreReader(manifest: store).readStrings("meta/id")
        let classes = LabelsFixture.classes
        // A: confident Bus everywhere except the target row (least confident, predicts Park).
        let target = ids.sorted()[3]
        let a = PredictionsFile(classes: classes, ids: ids, probabilities: ids.map {
            $0 == target ? [0.3, 0.05, 0.4, 0.25] : [0.9, 0.05, 0.03, 0.02] })
        // B: Bus 0.4 > Park 0.35 without the prior; ×(indoor 0.2, outdoor 0.8): Bus 0.08 < Park 0.28.
        let b = PredictionsFile(classes: classes, ids: ids, probabilities: ids.map { _ in [0.4, 0.15, 0.35, 0.1] })
        let coarse = PredictionsFile(classes: ["indoor", "outdoor"], ids: ids, probabilities: ids.map { _ in [0.2, 0.8] })
        let files = ["a", "b", "coarse"].map { root.appendingPathComponent($0 + ".csv") }
        try a.write(to: files[0]); try b.write(to: files[1]); try coarse.write(to: files[2])
        let taxonomyURL = root.appendingPathComponent("taxonomy.yaml")
        try Self.taxonomy.write(to: taxonomyURL, atomically: true, encoding: .utf8)
        let taxonomy = try Taxonomy.load(from: taxonomyURL)
        let row = try XCTUnwrap(ids.firstIndex(of: target))

        let plain = try PseudoLabels.run(view: store, predictions: files[0], second: files[1], top: 0.9,
                                         out: root.appendingPathComponent("plain"))
        XCTAssertEqual(plain.sources[row], "none", "B says Bus, A says Park")
        let adjusted = try PseudoLabels.run(view: store, predictions: files[0], second: files[1], top: 0.9,
                                            prior: .init(predictions: files[2], taxonomy: taxonomy),
                                            out: root.appendingPathComponent("prior"))
        XCTAssertEqual(adjusted.sources[row], "pseudo-2")
        XCTAssertEqual(try StoreReader(manifest: root.appendingPathComponent("prior")).readInt32("meta/label")[row], 2)
        XCTAssertEqual(adjusted.sources.filter { $0 == "pseudo-1" }.count, 9)
    }
}
