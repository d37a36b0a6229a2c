import Features
import TestSupport
import XCTest

/// The CQT's output conventions, derived from the magnitude the goldens check.
final class CQTOutputTests: XCTestCase {
    /// SPS's code stored 10·log10 of nnAudio's CQT *magnitude*, clamped at −100 dB.
    func testLog10MagnitudeIsTenLog10OfTheMagnitudeClampedAtMinus100() throws {
        var p = CQTParameters()
        p.sr = 22050
        p.variant = .nnaudio1992v2
        p.fmin = 220
        p.nBins = 24
        let clip = [TestSignals.chirp(22050, sr: 22050)]
        let magnitude = try CQT(name: "m", parameters: p).makeWorker().extract(clip)
        p.output = .log10Magnitude
        let logged = try CQT(name: "l", parameters: p).makeWorker().extract(clip)
        XCTAssertEqual(logged.shape, magnitude.shape)
        for (m, l) in zip(magnitude.values, logged.values) {
            XCTAssertEqual(l, 10 * log10f(max(m, 1e-10)), accuracy: 1e-4)
            XCTAssertGreaterThanOrEqual(l, -100)
        }
        // A silent clip hits the clamp exactly.
        let silent = try CQT(name: "s", parameters: p).makeWorker().extract([[Float](repeating: 0, count: 22050)])
        XCTAssertTrue(silent.values.allSatisfy { $0 == -100 })
    }
}
