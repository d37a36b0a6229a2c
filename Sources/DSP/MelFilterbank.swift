import Foundation

/// How each triangular mel filter is scaled.
public enum MelNorm: String, Codable, Sendable {
    /// Unit area in Hz: each row times `2 / (f[i+2] - f[i])` (librosa's default `norm='slaney'`).
    case slaney
    /// Peak 1 (`norm=None`; torchaudio's default).
    case none
}

/// The mel filterbank of `librosa.filters.mel`, `[nMels, nFFT/2+1]` float32, row-major.
///
/// Built in float64 and stored in float32 in the same order of roundings as librosa, so the
/// weights equal librosa's bit for bit (features.md §1.3). Applying it is one `sgemm` per clip.
public struct MelFilterbank: Sendable {
    public let nMels: Int
    public let binCount: Int
    public let weights: [Float]
    /// Band edges in Hz (`nMels + 2` values).
    public let edges: [Double]

    public init(sampleRate: Double, nFFT: Int, nMels: Int = 128, fmin: Double = 0, fmax: Double? = nil,
                scale: MelScale = .slaney, norm: MelNorm = .slaney) {
        let fmax = fmax ?? sampleRate / 2
        let bins = nFFT / 2 + 1
        // numpy.fft.rfftfreq(n, d=1/sr): k * (1 / (n * d)).
        let val = 1.0 / (Double(nFFT) * (1.0 / sampleRate))
        let fftFreqs = (0..<bins).map { Double($0) * val }
        let melF = scale.frequencies(count: nMels + 2, fmin: fmin, fmax: fmax)
        var w = [Float](repeating: 0, count: nMels * bins)
        for i in 0..<nMels {
            let lowerWidth = melF[i + 1] - melF[i]
            let upperWidth = melF[i + 2] - melF[i + 1]
            let enorm = 2.0 / (melF[i + 2] - melF[i])
            for k in 0..<bins {
                let lower = -(melF[i] - fftFreqs[k]) / lowerWidth
                let upper = (melF[i + 2] - fftFreqs[k]) / upperWidth
                // np.maximum(0, x) keeps the 0 when x is -0.0 (the first bin of a band starting at
                // 0 Hz gives -0/width); Swift.max would return -0.0, a different bit pattern.
                let m = min(lower, upper)
                var value = Float(0 >= m ? 0 : m)
                if norm == .slaney { value = Float(Double(value) * enorm) }
                w[i * bins + k] = value
            }
        }
        self.nMels = nMels
        self.binCount = bins
        self.weights = w
        self.edges = melF
    }

    /// `out[T, nMels] = spectrum[T, bins] · Wᵀ`, one sgemm.
    public func apply(_ spectrum: UnsafePointer<Float>, frames: Int, into out: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            BLAS.multiplyTransposed(spectrum, rows: frames, inner: binCount, w.baseAddress!, columns: nMels, into: out)
        }
    }
}
