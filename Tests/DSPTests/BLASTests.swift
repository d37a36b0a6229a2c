import DSP
import TestSupport
import XCTest

/// The sgemm wrappers against a naive float64 triple loop. Catches a swapped transpose flag,
/// a wrong leading dimension or row/column-major mix-up, all of which give plausible-looking numbers
/// of the right shape. The tolerance covers float32 accumulation in another order.
final class BLASTests: XCTestCase {
    func matrix(_ rows: Int, _ cols: Int, seed: UInt64) -> [Float] { TestSignals.noise(rows * cols, seed: seed) }

    func check(_ c: [Float], _ reference: [Double], inner k: Int, _ label: String) {
        XCTAssertEqual(c.count, reference.count, label)
        for (i, (a, b)) in zip(c, reference).enumerated() {
            // Each product term is ≤ 0.25 in magnitude: k terms accumulate at most k·0.25·2^-24 each step.
            XCTAssertEqual(Double(a), b, accuracy: Double(k) * 1e-6, "\(label) [\(i)]")
        }
    }

    func testMultiplyTransposed() {
        for (m, k, n) in [(1, 1, 1), (3, 5, 2), (7, 129, 40), (16, 1025, 64)] {
            let a = matrix(m, k, seed: 1), b = matrix(n, k, seed: 2)  // b is [n × k]
            var c = [Float](repeating: .nan, count: m * n)
            BLAS.multiplyTransposed(a, rows: m, inner: k, b, columns: n, into: &c)
            var ref = [Double](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    for p in 0..<k { ref[i * n + j] += Double(a[i * k + p]) * Double(b[j * k + p]) }
                }
            }
            check(c, ref, inner: k, "A·Bᵀ \(m)×\(k)·(\(n)×\(k))ᵀ")
        }
    }

    func testMultiply() {
        for (m, k, n) in [(1, 1, 1), (3, 5, 2), (7, 129, 40), (2, 64, 33)] {
            let a = matrix(m, k, seed: 3), b = matrix(k, n, seed: 4)  // b is [k × n]
            var c = [Float](repeating: .nan, count: m * n)
            BLAS.multiply(a, rows: m, inner: k, b, columns: n, into: &c)
            var ref = [Double](repeating: 0, count: m * n)
            for i in 0..<m {
                for j in 0..<n {
                    for p in 0..<k { ref[i * n + j] += Double(a[i * k + p]) * Double(b[p * n + j]) }
                }
            }
            check(c, ref, inner: k, "A·B \(m)×\(k)·\(k)×\(n)")
        }
    }

    /// Exact small case, by hand: no rounding is involved.
    func testSmallExact() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]      // 2×3
        let bt: [Float] = [1, 0, 1, 0, 1, 0]     // 2×3, used transposed
        var c = [Float](repeating: 0, count: 4)
        BLAS.multiplyTransposed(a, rows: 2, inner: 3, bt, columns: 2, into: &c)
        XCTAssertEqual(c, [4, 2, 10, 5])
        let b: [Float] = [1, 0, 0, 1, 1, 1]      // 3×2
        BLAS.multiply(a, rows: 2, inner: 3, b, columns: 2, into: &c)
        XCTAssertEqual(c, [4, 5, 10, 11])
    }

    /// Empty dimensions are a no-op (sgemm would reject a zero leading dimension).
    func testEmptyLeavesOutputUntouched() {
        var c: [Float] = [7]
        BLAS.multiply([], rows: 0, inner: 3, [], columns: 1, into: &c)
        XCTAssertEqual(c, [7])
    }
}
