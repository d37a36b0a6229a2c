import CSpectrum
@testable import DSP
import XCTest

/// CSpectrum's kernels, in each variant this CPU can run (baseline, AVX2, AVX-512), give the bits of
/// the scalar definitions they replace: numpy's complex64 `abs` (glibc `hypotf`: the float64 root
/// of the float64 sum of squares of the float32 components, rounded once), its float32 square, and
/// the float64 product of window and float32 sample. Which variant runs must not move an output bit.
final class CSpectrumTests: XCTestCase {
    override func tearDown() {
        _ = ap_spectrum_use_level(2)  // back to the best the CPU has
    }

    func values(_ n: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<n).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Double(state >> 11) / Double(1 << 53) * 2 - 1
            // Magnitudes over 30 decades, zeros and negative zeros, as a spectrum's bins span.
            if i % 97 == 0 { return i % 2 == 0 ? 0 : -0.0 }
            return unit * pow(10, Double(i % 31) - 20)
        }
    }

    func testEveryVariantMatchesTheScalarDefinition() {
        let bins = 1025 + 7  // not a multiple of any vector width
        let z = values(2 * bins, seed: 3)
        let window = values(bins, seed: 5)
        let x = values(bins, seed: 7).map { Float($0) }
        let expectedAbs = (0..<bins).map { STFT.hypot(Float(z[2 * $0]), Float(z[2 * $0 + 1])) }
        let expectedPower = expectedAbs.map { $0 * $0 }
        let expectedWindowed = (0..<bins).map { window[$0] * Double(x[$0]) }
        var levels: Set<Int32> = []
        for wanted in Int32(0)...2 {
            let level = ap_spectrum_use_level(wanted)
            levels.insert(level)
            var power = [Float](repeating: .nan, count: bins), magnitude = power
            var windowed = [Double](repeating: .nan, count: bins)
            ap_complex64_power(z, &power, bins)
            ap_complex64_abs(z, &magnitude, bins)
            ap_window_frame(window, x, &windowed, bins)
            XCTAssertEqual(power.map(\.bitPattern), expectedPower.map(\.bitPattern), "power, variant \(level)")
            XCTAssertEqual(magnitude.map(\.bitPattern), expectedAbs.map(\.bitPattern), "abs, variant \(level)")
            XCTAssertEqual(windowed.map(\.bitPattern), expectedWindowed.map(\.bitPattern), "window, variant \(level)")
        }
        XCTAssertTrue(levels.contains(0), "the baseline variant always runs")
        print("CSpectrum variants checked on this CPU: \(levels.sorted())")
    }
}
