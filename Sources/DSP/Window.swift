import Foundation

/// Analysis windows, in float64 as scipy computes them (librosa's `get_window` calls scipy).
public enum WindowFunction: String, Codable, Sendable {
    /// Periodic ("DFT-even") Hann, scipy's `get_window('hann', N, fftbins=True)`:
    /// `0.5 - 0.5 cos(2πn/N)`. Not `np.hanning`, which is symmetric.
    case hann
    /// Symmetric Hann, `np.hanning(N)`: denominator N-1. Some older recipes pass it explicitly.
    case hannSymmetric = "hann_symmetric"
    /// Symmetric Hann as `torch.hann_window(N, periodic=False)` builds it, in float32:
    /// `float32(n) · float32(2π/(N-1))`, `cos`, `· -0.5`, `+ 0.5` (ATen's `hamming_window` with
    /// alpha = beta = 0.5). Mathematically `hann_symmetric`, but its float32 roundings put it up to 2e-7
    /// away from `np.hanning`, which moves quiet mel bands of a CP-JKU log-mel by up to 7e-5 (more than
    /// the rest of the pipeline's error). `cos` is evaluated exactly and rounded once; torch's
    /// vectorised float32 `cos` is within 1 ulp of that.
    case torchHannSymmetric = "torch_hann_symmetric"
    /// Periodic Hamming, scipy's `get_window('hamming', N)`.
    case hamming
    /// All ones (librosa's CQT filters its octaves with `window='ones'`).
    case ones

    /// The window in float64, with the same operations in the same order as scipy / numpy, so the
    /// values are equal to the last bit (a last-bit difference here shows up in every STFT frame).
    public func values(length n: Int) -> [Double] {
        guard n > 0 else { return [] }
        switch self {
        case .hann:
            return Self.generalCosine(n, [0.5, 0.5])
        case .hamming:
            return Self.generalCosine(n, [0.54, 1.0 - 0.54])
        case .hannSymmetric:
            // numpy.hanning: `0.5 + 0.5 cos(pi k / (N-1))` for k = 1-N, 3-N, ..., N-1; [1] for N = 1.
            guard n > 1 else { return [1] }
            return (0..<n).map { i in 0.5 + 0.5 * cos(Double.pi * Double(1 - n + 2 * i) / Double(n - 1)) }
        case .torchHannSymmetric:
            guard n > 1 else { return [1] }
            let step = Float(Double.pi * 2.0 / Double(n - 1))
            return (0..<n).map { i in
                let c = Float(cos(Double(Float(i) * step)))
                return Double(c * -0.5 + 0.5)
            }
        case .ones:
            return [Double](repeating: 1, count: n)
        }
    }

    /// scipy's `general_cosine(N, a, sym=False)`: `fac = linspace(-pi, pi, N+1)`,
    /// `w = sum_k a[k] cos(k fac)` accumulated from zeros, last point dropped. A length of 1 gives
    /// [1] (scipy's length guard), not the formula's 0. Mathematically `0.5 - 0.5 cos(2 pi n/N)` for
    /// Hann, but that form rounds differently in about half of the values.
    static func generalCosine(_ n: Int, _ a: [Double]) -> [Double] {
        guard n > 1 else { return [1] }
        let step = (Double.pi - -Double.pi) / Double(n)  // linspace over N+1 points: N intervals
        return (0..<n).map { i in
            let fac = Double(i) * step + -Double.pi
            var w = 0.0
            for (k, ak) in a.enumerated() { w += ak * cos(Double(k) * fac) }
            return w
        }
    }

    /// The window of `winLength` samples zero-padded to `size`, centred as `librosa.util.pad_center`
    /// does: `(size - winLength) / 2` zeros on the left, the rest on the right.
    public func padded(winLength: Int, size: Int) -> [Double] {
        precondition(winLength <= size, "win_length \(winLength) must not exceed n_fft \(size)")
        let left = (size - winLength) / 2
        var out = [Double](repeating: 0, count: size)
        let w = values(length: winLength)
        for i in 0..<winLength { out[left + i] = w[i] }
        return out
    }
}
