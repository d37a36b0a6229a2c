import Foundation

/// Analysis windows, in float64 as scipy computes them (librosa's `get_window` calls scipy).
public enum WindowFunction: String, Codable, Sendable {
    /// Periodic ("DFT-even") Hann, scipy's `get_window('hann', N, fftbins=True)`:
    /// `0.5 - 0.5 cos(2πn/N)`. Not `np.hanning`, which is symmetric.
    case hann
    /// Symmetric Hann, `np.hanning(N)`: denominator N-1. Some older recipes pass it explicitly.
    case hannSymmetric = "hann_symmetric"
    /// Periodic Hamming, scipy's `get_window('hamming', N)`.
    case hamming
    /// All ones (librosa's CQT filters its octaves with `window='ones'`).
    case ones

    public func values(length n: Int) -> [Double] {
        guard n > 0 else { return [] }
        switch self {
        case .hann:
            return (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        case .hannSymmetric:
            guard n > 1 else { return [1] }
            return (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n - 1)) }
        case .hamming:
            return (0..<n).map { 0.54 - 0.46 * cos(2 * Double.pi * Double($0) / Double(n)) }
        case .ones:
            return [Double](repeating: 1, count: n)
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
