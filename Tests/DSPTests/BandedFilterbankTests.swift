import XCTest
@testable import DSP

final class BandedFilterbankTests: XCTestCase {
    /// Group-wise sgemms over the non-zero spans equal the dense product (to float32 summation order).
    func testEqualsDenseProduct() {
        let mel = MelFilterbank(sampleRate: 24000, nFFT: 512, nMels: 128)
        let frames = 37
        var state: UInt32 = 1
        let spectrum = (0..<(frames * mel.binCount)).map { _ -> Float in
            state = state &* 1664525 &+ 1013904223
            return Float(state >> 8) / Float(1 << 24)
        }
        var dense = [Float](repeating: 0, count: frames * 128)
        var banded = [Float](repeating: .nan, count: frames * 128)
        spectrum.withUnsafeBufferPointer { s in
            mel.apply(s.baseAddress!, frames: frames, into: &dense)
            for groupSize in [1, 5, 16, 128] {
                BandedFilterbank(mel, groupSize: groupSize).apply(s.baseAddress!, frames: frames, into: &banded)
                for i in 0..<dense.count {
                    XCTAssertEqual(banded[i], dense[i], accuracy: 1e-6 * max(1, abs(dense[i])), "group \(groupSize) at \(i)")
                }
            }
        }
        // An all-zero row group still writes zeros.
        let zero = BandedFilterbank(weights: [0, 0, 0, 1, 2, 0], rows: 2, columns: 3, groupSize: 1)
        var out: [Float] = [.nan, .nan]
        zero.apply([1, 1, 1], frames: 1, into: &out)
        XCTAssertEqual(out, [0, 3])
    }
}
