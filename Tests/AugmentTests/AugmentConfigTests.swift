import Augment
import Foundation
import XCTest

final class AugmentConfigTests: XCTestCase {
    func decode(_ json: String) throws -> AugmentConfig {
        try JSONDecoder().decode(AugmentConfig.self, from: Data(json.utf8))
    }

    func message(_ json: String) -> String {
        do { _ = try decode(json); return "" } catch { return String(describing: error) }
    }

    func testDefaultsAndOrder() throws {
        let c = try decode(#"{"variants": 2, "steps": [{"adir": {"threshold": 300}}, {"roll": {}}]}"#)
        XCTAssertEqual(c.splits, ["train"])
        XCTAssertNil(c.devices)
        XCTAssertTrue(c.keepOriginal)
        XCTAssertEqual(c.steps.map(\.name), ["adir", "roll"])
        guard case .adir(let p) = c.steps[0] else { return XCTFail() }
        XCTAssertEqual(p.threshold, 300)
        XCTAssertEqual(p.pA, 0.6)
        XCTAssertEqual(p.energy, .sumOfSquares)
        XCTAssertTrue(c.selects(split: "train", device: "b"))
        XCTAssertFalse(c.selects(split: "test", device: "a"))
        // Round trip through its own encoding.
        XCTAssertEqual(try JSONDecoder().decode(AugmentConfig.self, from: JSONEncoder().encode(c)), c)
    }

    func testConfigurationErrors() {
        XCTAssertTrue(message(#"{"variants": 0, "steps": [{"roll": {}}]}"#).contains("variants is 0"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": [{"rol": {}}]}"#).contains("unknown augmentation 'rol'"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": [{"roll": {"range": 3}}]}"#).contains("unknown key 'range'"))
        XCTAssertTrue(message(#"{"variants": 1, "varaints": 2, "steps": [{"roll": {}}]}"#).contains("unknown key 'varaints'"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": [{"dir": {"dir_prob": 1.5}}]}"#).contains("dir_prob 1.5"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": [{"crop": {"length": -1}}]}"#).contains("crop.length -1"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": [{"crop": {"alignment": 0}}]}"#).contains("crop.alignment 0"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": [{"roll": {}, "gain": {}}]}"#).contains("one augmentation"))
        XCTAssertTrue(message(#"{"variants": 1, "steps": []}"#).contains("empty"))
    }

    func testChannelSwapNeedsAnFOAPipelineAndDIRABank() throws {
        let c = try decode(#"{"variants": 1, "steps": [{"channel_swap": {"p": 0.5}}]}"#)
        XCTAssertThrowsError(try c.check(channelCount: 1, isFOA: false, hasBank: false)) {
            XCTAssertTrue(String(describing: $0).contains("channel_swap needs an FOA pipeline"))
        }
        XCTAssertNoThrow(try c.check(channelCount: 4, isFOA: true, hasBank: false))
        let d = try decode(#"{"variants": 1, "steps": [{"dir": {}}]}"#)
        XCTAssertThrowsError(try d.check(channelCount: 1, isFOA: false, hasBank: false))
        XCTAssertTrue(d.needsBank)
    }
}
