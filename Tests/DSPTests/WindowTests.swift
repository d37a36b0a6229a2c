@testable import DSP
import XCTest

/// Windows against scipy/numpy (features.md §1.1). Compared bit for bit: the window multiplies
/// every sample before the float64 FFT, so a last-bit difference here is a difference in the STFT.
final class WindowTests: XCTestCase {
    /// Bitwise comparison reporting the count and largest difference, not two long arrays.
    func assertBitEqual(_ a: [Double], _ b: [Double], _ label: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, label, line: line)
        let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }
        let worst = differing.map { abs($0 - $1) }.max() ?? 0
        XCTAssertTrue(differing.isEmpty, "\(label): \(differing.count) values differ, max |diff| \(worst)", line: line)
    }

    func testHannIsScipyPeriodicBitForBit() throws {
        for w in try DSPGoldens.load().windows {
            assertBitEqual(WindowFunction.hann.values(length: w.n), w.hann, "hann N=\(w.n)")
        }
    }

    func testHammingAndSymmetricHannBitForBit() throws {
        for w in try DSPGoldens.load().windows {
            if let expected = w.hamming {
                assertBitEqual(WindowFunction.hamming.values(length: w.n), expected, "hamming N=\(w.n)")
            }
            if let expected = w.hannSymmetric {
                assertBitEqual(WindowFunction.hannSymmetric.values(length: w.n), expected, "np.hanning N=\(w.n)")
            }
        }
    }

    /// The periodic window is not `np.hanning`: mixing them up is the classic recipe bug.
    func testPeriodicDiffersFromSymmetric() {
        let periodic = WindowFunction.hann.values(length: 8)
        let symmetric = WindowFunction.hannSymmetric.values(length: 8)
        XCTAssertEqual(periodic[0], 0)
        XCTAssertEqual(periodic[4], 1)  // peak at N/2 for the DFT-even window
        XCTAssertEqual(symmetric[7], symmetric[0])
        XCTAssertGreaterThan(abs(periodic[2] - symmetric[2]), 0.05)
    }

    func testPadCenterMatchesLibrosa() throws {
        for p in try DSPGoldens.load().padCenter {
            assertBitEqual(WindowFunction.hann.padded(winLength: p.winLength, size: p.size), p.values,
                           "pad_center(hann(\(p.winLength)), \(p.size))")
        }
    }

    /// ASC recipe: Wl 1764 in N 2048 leaves 142 zeros on each side (features.md §1.1).
    func testPadCenterASCOffsets() {
        let w = WindowFunction.hann.padded(winLength: 1764, size: 2048)
        XCTAssertEqual(w.count, 2048)
        XCTAssertTrue(w[..<142].allSatisfy { $0 == 0 })
        XCTAssertTrue(w[(142 + 1764)...].allSatisfy { $0 == 0 })
        XCTAssertEqual(w[142 + 882], 1)
        XCTAssertEqual(Array(w[142..<(142 + 1764)]), WindowFunction.hann.values(length: 1764))
    }

    func testOnesAndEmpty() {
        XCTAssertEqual(WindowFunction.ones.values(length: 3), [1, 1, 1])
        // scipy's length guard: a 1-point window is [1], not the formula's 0.
        XCTAssertEqual(WindowFunction.hann.values(length: 1), [1])
        XCTAssertEqual(WindowFunction.hann.values(length: 0), [])
    }
}
