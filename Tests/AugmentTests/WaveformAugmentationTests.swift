import Augment
import Foundation
import XCTest

final class WaveformAugmentationTests: XCTestCase {
    func bank() throws -> ImpulseResponseBank {
        try ImpulseResponseBank(responses: [.init(name: "a.wav", samples: [1, 0.5, 0.25]), .init(name: "b.wav", samples: [0, 1])],
                                sampleRate: 32000)
    }

    func testBadBanksAreRefusedNamingTheFile() {
        func message(_ r: [ImpulseResponseBank.Response]) -> String {
            do { _ = try ImpulseResponseBank(responses: r, sampleRate: 32000); return "" } catch { return String(describing: error) }
        }
        XCTAssertTrue(message([]).contains("empty"))
        XCTAssertTrue(message([.init(name: "silent.wav", samples: [0, 0, 0])]).contains("silent.wav: silent"))
        XCTAssertTrue(message([.init(name: "nan.wav", samples: [1, .nan])]).contains("nan.wav: NaN"))
        XCTAssertTrue(message([.init(name: "long.wav", samples: [Float](repeating: 0.1, count: 64001))]).contains("long.wav"))
        XCTAssertTrue(message([.init(name: "none.wav", samples: [])]).contains("none.wav"))
    }

    /// ADIR convolves only above the energy threshold (Σx² by default), records E either way.
    func testADIRGatesOnEnergy() throws {
        var p = AdaptiveDeviceImpulseResponse.Parameters()
        p.pA = 1
        p.threshold = 10
        let adir = AdaptiveDeviceImpulseResponse(parameters: p, bank: try bank())
        let quiet = [Float](repeating: 0.01, count: 32000)   // Σx² = 3.2
        let loud = [Float](repeating: 0.1, count: 32000)     // Σx² = 320
        var random = AugmentRandom(seed: 3)
        var q = WaveformClip(channels: [quiet], sampleRate: 32000, device: "a")
        let dq = try adir.apply(to: &q, random: &random)
        XCTAssertFalse(dq.applied)
        XCTAssertEqual(dq.energy, 3.2, accuracy: 1e-3)
        XCTAssertEqual(q.channels[0], quiet)
        var l = WaveformClip(channels: [loud], sampleRate: 32000, device: "a")
        let dl = try adir.apply(to: &l, random: &random)
        XCTAssertTrue(dl.applied)
        XCTAssertEqual(dl.energy, 320, accuracy: 0.01)
        XCTAssertNotEqual(l.channels[0], loud)
        XCTAssertEqual(AdaptiveDeviceImpulseResponse.Energy.rms.of([loud]), 0.1, accuracy: 1e-6)
        XCTAssertEqual(AdaptiveDeviceImpulseResponse.Energy.sumOfAbsolute.of([loud]), 3200, accuracy: 0.01)
        XCTAssertEqual(AdaptiveDeviceImpulseResponse.Energy.meanSquare.of([loud]), 0.01, accuracy: 1e-8)
    }

    func testRollCropGain() throws {
        XCTAssertEqual(TimeRoll.roll([1, 2, 3, 4, 5], by: 2), [4, 5, 1, 2, 3], "np.roll semantics")
        XCTAssertEqual(TimeRoll.roll([1, 2, 3, 4, 5], by: -1), [2, 3, 4, 5, 1])
        var random = AugmentRandom(seed: 9)
        let crop = RandomCrop(parameters: .init(length: 0.001, alignment: 4))   // 24 samples at 24 kHz
        let x = (0..<100).map(Float.init)
        for _ in 0..<50 {
            var clip = WaveformClip(channels: [x, x], sampleRate: 24000)
            let d = try crop.apply(to: &clip, random: &random)
            XCTAssertEqual(d.offset % 4, 0)
            XCTAssertEqual(clip.channels[0], Array(x[d.offset..<(d.offset + 24)]))
            XCTAssertEqual(clip.channels[1], clip.channels[0])
        }
        var short = WaveformClip(channels: [[1, 2]], sampleRate: 24000)
        XCTAssertThrowsError(try crop.apply(to: &short, random: &random))
        var g = Gain.Parameters()
        g.p = 1
        var clip = WaveformClip(channels: [[1, -1]], sampleRate: 16000)
        let d = try Gain(parameters: g).apply(to: &clip, random: &random)
        XCTAssertEqual(clip.channels[0][0], Float(pow(10, d.gainDB / 20)), accuracy: 1e-6)
        XCTAssertTrue((-18..<6).contains(d.gainDB))
    }

    /// A chain's draws depend only on the row seed: the same seed twice gives the same bytes and records.
    func testChainIsDeterministicPerSeed() throws {
        let steps: [AugmentStep] = [.dir({ var p = DeviceImpulseResponse.Parameters(); p.dirProb = 1; return p }()), .roll(.init()), .gain(.init())]
        let chain = try WaveformChain(steps, bank: try bank())
        let x = (0..<32000).map { Float(sin(Double($0) * 0.01)) }
        func run(_ seed: UInt64) throws -> (WaveformClip, [WaveformChain.Record]) {
            var clip = WaveformClip(channels: [x], sampleRate: 32000, device: "a")
            let r = try chain.apply(to: &clip, seed: seed)
            return (clip, r)
        }
        let (a, ra) = try run(42), (b, rb) = try run(42), (c, rc) = try run(43)
        XCTAssertEqual(a, b)
        XCTAssertEqual(ra, rb)
        XCTAssertNotEqual(ra, rc)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(ra.map(\.augmentation), ["dir", "roll", "gain"])
        XCTAssertEqual(WaveformChain.columns(of: steps).map(\.column),
                       ["aug/dir/applied", "aug/dir/index", "aug/roll/shift", "aug/gain/gain_db"])
        XCTAssertThrowsError(try WaveformChain(steps, bank: nil))
    }
}
