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
    /// `augment:` sections (ADIR variants; crop and channel-swap variants). The STFT `precision` of
    /// issue 8 is encoded only when it is `float32`, so these did not move with it.
    static let pinned: [String: String] = [
        "ds-flexinet": "71fac77c17fdb6d2df6f7089c4dde3bee10d90eac209947dceeb29fccc73fc66",
        "estm-dcase2020t2": "21924f736f3e40174e227bde610836030f89123c9098f885e35a16ef78183d83",
        "ffmamba-seld": "bd0299d89311170da3c25ba94cf6de3138ba14e6989bfb8b184b8dba3a5936b5",
        "ingest": "7e2a4a097be3cdde73d75c9e97bee701cd58b148ec0f23f5e5787cc89d4fac92",
        "sps-dcase2020": "17611cadf07bedc9322dfda949305e46bf86690694dae98486e8240de0511a5e",
        "sps-dcase2020-code": "93e9d3e31b7c7280ac2c5574747c15a265be3c54f7f43cc68b4f71fec3b871b1",
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
