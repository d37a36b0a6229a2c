import Foundation
import Pipeline
import Store
import TestSupport
import XCTest

/// The canonical JSON of every shipped pipeline (hashed into each store's config hash) is pinned:
/// a change to how parameters are decoded or encoded that moves a store's identity must be
/// deliberate, so it shows up here and the pinned digest is updated with a reason.
final class CanonicalConfigTests: XCTestCase {
    /// SHA-256 of `canonicalJSON()` of pipelines/<name>.yaml, as loaded. Last moved on purpose by
    /// `pad_tail` (every STFT-based kind), `sample_eps` (FOA) and `audio.min_duration_fraction`;
    /// ds-flexinet, estm-dcase2020t2 and ffmamba-seld by reading their corpora's recipes (tau2022,
    /// dcase2020t2, starss22 segments) instead of a plain folder; ds-flexinet and ffmamba-seld by their
    /// `augment:` sections (ADIR variants; crop and channel-swap variants); ingest, sps-dcase2020,
    /// sps-dcase2020-code and estm-dcase2020t2 by `precision` (issue 8: the STFT precision of the
    /// logmel/mfcc/esgram kinds is now recorded, `float64` in all of them, so the stored values are
    /// unchanged but a store written before the key has another config hash and is not resumed by
    /// this version; its recorded config still decodes, to float64, which is what it ran).
    static let pinned: [String: String] = [
        "ds-flexinet": "71fac77c17fdb6d2df6f7089c4dde3bee10d90eac209947dceeb29fccc73fc66",
        "estm-dcase2020t2": "8143570dac4f3eeb7fb1581d876c7520c4b9052feb8aca05140e8b75eae73b07",
        "ffmamba-seld": "bd0299d89311170da3c25ba94cf6de3138ba14e6989bfb8b184b8dba3a5936b5",
        "ingest": "e1fef0d8a3cdc5ed0e0dee83d380337a3e3be5b697b42703716f054e8c0f3892",
        "sps-dcase2020": "3591bd4120d21234ce60434f60da64287e6c56635247c29e8ed5ac1b22be112a",
        "sps-dcase2020-code": "b09dd08dc617cb11f1b08f06ccc1874c4ef0ddddb44483d1b31e046657f8cb86",
    ]

    func testShippedPipelinesKeepTheirCanonicalJSON() throws {
        let folder = Repository.url("pipelines")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertEqual(names.count, 6)
        for name in names {
            let config = try PipelineConfig.load(folder.appendingPathComponent("\(name).yaml"))
            let json = try config.canonicalJSON()
            let digest = SHA256Hasher.hex(of: json)
            XCTAssertEqual(digest, Self.pinned[name], "\(name): canonical JSON changed")
            // What a manifest records decodes back, strictly, to the same configuration.
            let back = try JSONDecoder().decode(PipelineConfig.self, from: json)
            XCTAssertEqual(try back.canonicalJSON(), json, name)
        }
    }
}
