import Foundation

/// DCT-II along the feature axis as one precomputed float64 matrix, applied with a single dgemm
/// per clip: `out[T, count] = x[T, size] · Dᵀ`, accumulated in float64 and rounded once.
///
/// This is what `librosa.feature.mfcc` does with `scipy.fft.dct(S, type=2, norm='ortho',
/// axis=-2)[:n_mfcc]` (features.md §1.6):
/// `c_0 = sqrt(1/M) Σ x_n`, `c_k = sqrt(2/M) Σ x_n cos(πk(2n+1)/(2M))` (`norm: .none` gives
/// `2 Σ x_n cos(...)`, scipy's unnormalised DCT-II). A matrix is cheaper than an FFT-based DCT at
/// these sizes (M ≤ 256, at most a few dozen coefficients kept) and keeps only the rows used.
///
/// Why float64: `c_0` is a scaled sum of every band's dB value, so on a quiet clip (bands near
/// −70 dB) |c_0| reaches thousands and a float32 accumulation is off by ~1e-3 (measured up to 2.0e-3
/// against librosa with one float32 sgemm, issue 6). A float64 product of the float32 log-mel is the
/// exact DCT rounded once; what remains against librosa is librosa's own float32 DCT error (scipy's
/// single-precision FFT), recorded per golden case (up to 6.5e-4 there). The cost is negligible
/// beside the STFT (frames × bands × coefficients multiply-adds, once per clip).
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
    public let matrix: [Double]

    public init(size: Int, count: Int, norm: Norm = .ortho, lifter: Double = 0) {
        precondition(size > 0 && count > 0, "DCT needs a positive size and coefficient count")
        self.size = size
        self.count = count
        var m = [Double](repeating: 0, count: count * size)
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
                m[k * size + i] = gain * lift * cos(Double.pi * phase / (2 * n))
            }
        }
        matrix = m
    }

    /// `out[rows, count] = input[rows, size] · Dᵀ` in float64, rounded once to float32. `scratch`
    /// (a worker's, grown as needed) holds the float64 input and product.
    public func apply(_ input: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
                      scratch: inout [Double]) {
        let inputCount = rows * size, outputCount = rows * count
        if scratch.count < inputCount + outputCount {
            scratch = [Double](repeating: 0, count: inputCount + outputCount)
        }
        scratch.withUnsafeMutableBufferPointer { s in
            let x = s.baseAddress!, y = s.baseAddress! + inputCount
            for i in 0..<inputCount { x[i] = Double(input[i]) }
            matrix.withUnsafeBufferPointer { d in
                BLAS.multiplyTransposed(UnsafePointer(x), rows: rows, inner: size, d.baseAddress!, columns: count, into: y)
            }
            for i in 0..<outputCount { out[i] = Float(y[i]) }
        }
    }
}
