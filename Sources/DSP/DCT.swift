import Foundation

/// DCT-II along the feature axis as one precomputed matrix, applied with a single sgemm per
/// clip: `out[T, count] = x[T, size] · Dᵀ`.
///
/// This is what `librosa.feature.mfcc` does with `scipy.fft.dct(S, type=2, norm='ortho',
/// axis=-2)[:n_mfcc]` (features.md §1.6):
/// `c_0 = sqrt(1/M) Σ x_n`, `c_k = sqrt(2/M) Σ x_n cos(πk(2n+1)/(2M))` (`norm: .none` gives
/// `2 Σ x_n cos(...)`, scipy's unnormalised DCT-II). A matrix is cheaper than an FFT-based DCT at
/// these sizes (M ≤ 256, at most a few dozen coefficients kept) and keeps only the rows used.
/// The matrix is built in float64 and rounded once; scipy's single-precision FFT DCT and this
/// float32 sgemm differ by float32 rounding only (docs/accuracy.md).
///
/// An optional cepstral lifter is folded into the rows:
/// `c_k *= 1 + (lifter/2)·sin(π(k+1)/lifter)` (librosa's `lifter > 0`).
public struct DCTMatrix: Sendable {
    public enum Norm: String, Codable, Sendable {
        case ortho
        case none
    }

    /// Input length (`M`, the number of mel bands).
    public let size: Int
    /// Coefficients kept (`n_mfcc`).
    public let count: Int
    /// `[count, size]` row-major.
    public let matrix: [Float]

    public init(size: Int, count: Int, norm: Norm = .ortho, lifter: Double = 0) {
        precondition(size > 0 && count > 0, "DCT needs a positive size and coefficient count")
        self.size = size
        self.count = count
        var m = [Float](repeating: 0, count: count * size)
        let n = Double(size)
        for k in 0..<count {
            let gain: Double
            switch norm {
            case .ortho: gain = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            case .none: gain = 2
            }
            let lift = lifter > 0 ? 1 + (lifter / 2) * sin(Double.pi * Double(k + 1) / lifter) : 1
            for i in 0..<size {
                // k(2i+1) reduced modulo 4M keeps the cosine argument small and exact.
                let phase = Double((k * (2 * i + 1)) % (4 * size))
                m[k * size + i] = Float(gain * lift * cos(Double.pi * phase / (2 * n)))
            }
        }
        matrix = m
    }

    /// `out[rows, count] = input[rows, size] · Dᵀ`.
    public func apply(_ input: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        matrix.withUnsafeBufferPointer { d in
            BLAS.multiplyTransposed(input, rows: rows, inner: size, d.baseAddress!, columns: count, into: out)
        }
    }
}
