import Augment
import Features
import Foundation
import TestSupport
import XCTest

/// The channel swap must move the sound field and its label together: a plane wave encoded from
/// (φ, θ), transformed by each of the 16 transforms, gives intensity vectors (Features' FOA
/// extractor, DCASE 2022 baseline) that point to the transformed label within 1°.
final class ChannelSwapPhysicalTests: XCTestCase {
    func testEveryTransformPointsTheIntensityVectorToTheTransformedLabel() throws {
        let foa = FOAFeatures(parameters: FOAParameters())
        let worker = foa.makeWorker()
        let n = 24000
        let s = TestSignals.noise(n, seed: 3)
        let sources = [Direction(azimuth: 30, elevation: 10), Direction(azimuth: -120, elevation: -35),
                       Direction(azimuth: 170, elevation: 60), Direction(azimuth: -75, elevation: 0)]
        var worst = 0.0
        for source in sources {
            let gains = TestSignals.foaGains(azimuth: source.azimuth, elevation: source.elevation)
            let encoded = gains.map { g in s.map { Float(g * Double($0)) } }
            for number in 0..<16 {
                var channels = encoded
                let transform = FOATransform(number)
                transform.apply(foa: &channels)
                let label = transform.apply(source)
                let features = try worker.extract(channels)
                // IV channels of the 2022 baseline: 4, 5, 6 = (Y, Z, X); summed over frames and mel bands.
                var v = [0.0, 0.0, 0.0]
                for t in 0..<features.shape[1] {
                    for f in 0..<features.shape[2] {
                        v[0] += Double(features[6, t, f])
                        v[1] += Double(features[4, t, f])
                        v[2] += Double(features[5, t, f])
                    }
                }
                let measured = Direction(x: v[0], y: v[1], z: v[2])
                let angle = Self.angle(measured, label)
                worst = max(worst, angle)
                XCTAssertLessThan(angle, 1, "transform #\(number) of \(source): IV points to \(measured), label \(label)")
            }
        }
        print("channel swap: worst angle between intensity vector and transformed label \(worst)°")
    }

    /// The table of features.md §8.1: φ' and θ' of each transform.
    func testTransformsFollowTheTable() {
        let d = Direction(azimuth: 20, elevation: 15)
        let expected: [(Double, Double)] = [(20, 15), (20, -15), (-20, 15), (-20, -15), (160, 15), (160, -15), (-160, 15), (-160, -15),
                                            (70, 15), (70, -15), (-70, 15), (-70, -15), (110, 15), (110, -15), (-110, 15), (-110, -15)]
        for (i, (az, el)) in expected.enumerated() {
            let r = FOATransform(i).apply(d)
            XCTAssertEqual(r.azimuth, az, accuracy: 1e-9, "#\(i)")
            XCTAssertEqual(r.elevation, el, accuracy: 1e-9, "#\(i)")
        }
        XCTAssertEqual(Direction(x: -1, y: 0, z: 0).azimuth, -180, "azimuth wraps to [-180, 180)")
    }

    /// Through the augmentation: the drawn transform is recorded and applied to signals and labels alike.
    func testDrawnSwapTransformsSignalsAndDirectionsTogether() throws {
        var p = FOAChannelSwap.Parameters()
        p.p = 1
        let swap = FOAChannelSwap(parameters: p)
        let w: [Float] = [1, 2], y: [Float] = [3, 4], z: [Float] = [5, 6], x: [Float] = [7, 8]
        var seen = Set<Int>()
        for k in 0..<200 {
            var random = AugmentRandom(runSeed: 1, id: "starss/clip", variant: k + 1)
            let labels = [Direction(azimuth: 40, elevation: -20), Direction(azimuth: -100, elevation: 5)]
            var clip = WaveformClip(channels: [w, y, z, x], sampleRate: 24000, directions: labels)
            let draw = try swap.apply(to: &clip, random: &random)
            seen.insert(draw.transform)
            var expected = [w, y, z, x]
            FOATransform(draw.transform).apply(foa: &expected)
            XCTAssertEqual(clip.channels, expected)
            XCTAssertEqual(clip.directions, labels.map(FOATransform(draw.transform).apply))
        }
        XCTAssertEqual(seen, Set(0..<16), "all 16 transforms are drawn")
        var mono = WaveformClip(channels: [w], sampleRate: 24000)
        var random = AugmentRandom(seed: 0)
        XCTAssertThrowsError(try swap.apply(to: &mono, random: &random))
    }

    static func angle(_ a: Direction, _ b: Direction) -> Double {
        let (u, v) = (a.cartesian, b.cartesian)
        let dot = max(-1, min(1, u.x * v.x + u.y * v.y + u.z * v.z))
        return acos(dot) * 180 / .pi
    }
}
