import Foundation
import Pipeline
import Store
import XCTest

/// The canonical JSON of every shipped pipeline (hashed into each store's config hash) is pinned:
/// a change to how parameters are decoded or encoded that moves a store's identity must be
/// deliberate, so it shows up here and the pinned digest is updated with a reason.
final class CanonicalConfigTests: XCTestCase {
    /// SHA-256 of `canonicalJSON()` of pipelines/<name>.yaml, as loaded.
    static let pinned: [String: String] = [
        "ds-flexinet": "76e699027619cc0b8ec9a736d789aa14de0197e2261dfbd88735bfe1c07bf20d",
        "estm-dcase2020t2": "d148aa7a2f8216faf3010cc72f80ebb780b43718537c9a8ebbc2a1c6cbf836e9",
        "ffmamba-seld": "09d20dfd0def1d0f9f7f4731691638a07c78d5f098d9f6859f7d999a1147f173",
        "ingest": "f862522cad7cc7d718aba63f58caf3f92d0020334e5c13abf354cc5b9596b2bf",
        "sps-dcase2020": "15d5ded4cacf1bb3c08661ebff3c308f34d98752b1022a8163951b9e2f2941d5",
        "sps-dcase2020-code": "29f4250f6a6aaee2f2d6997456d8945dd0180e9843a11a8ce8276406747cfb7b",
    ]

    func testShippedPipelinesKeepTheirCanonicalJSON() throws {
        let folder = PipelineFixture.repositoryRoot.appendingPathComponent("pipelines")
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
