import Foundation

/// Ellis's FFT-domain approximation of a gammatone filterbank (`fft2gammatonemx`; detly's
/// `fft_weights`), `[nfilts, nfft/2+1]` float32, row-major, rows ascending in frequency
/// (features.md §2.3).
///
/// Row `k` is the magnitude response of the `GammatoneFilter` at centre `cf_k`, sampled at the FFT
/// bins `u_b = e^{j2πb/nfft}`:
/// `W[k,b] = |u_b + A11·fs|·|u_b + A12·fs|·|u_b + A13·fs|·|u_b + A14·fs| · |fs (p-u_b)(p̄-u_b)|^-4 / gain_k`,
/// with pole `p = sqrt(B2)·e^{j2π cf/fs}`. It is computed in float64 as the reference is and rounded
/// once to float32, optionally pre-multiplied by a constant `scale` (the recipes' `1/nfft`, scipy's
/// density factor, an input scale): a filterbank applied by sgemm is linear, so folding constants
/// into it costs nothing per clip.
public struct GammatoneFilterbank: Sendable {
    public let nfilts: Int
    public let binCount: Int
    /// Centre frequencies in Hz, ascending.
    public let centreFrequencies: [Double]
    /// `scale · W`, float32 `[nfilts, binCount]`.
    public let weights: [Float]

    /// - Parameters:
    ///   - nfft: the FFT size the weights are sampled for; `maxlen` bins are kept (default `nfft/2+1`).
    ///   - width: bandwidth relative to one ERB (Ellis's `gammatonegram.m` and detly use 1).
    ///   - scale: a constant folded into the float64 weights before rounding.
    public init(sampleRate fs: Double, nfft: Int, nfilts: Int = 64, width: Double = 1, fmin: Double,
                fmax: Double? = nil, maxlen: Int? = nil, scale: Double = 1) {
        let fmax = fmax ?? fs / 2
        let bins = min(maxlen ?? (nfft / 2 + 1), nfft / 2 + 1)
        let cfs = ERBScale.centreFrequencies(count: nfilts, fmin: fmin, fmax: fmax)
        var w = [Float](repeating: 0, count: nfilts * bins)
        let unit = (0..<bins).map { GammatoneComplex(polar: 1, angle: 2 * Double.pi * Double($0) / Double(nfft)) }
        for (k, cf) in cfs.enumerated() {
            let filter = GammatoneFilter(sampleRate: fs, centreFrequency: cf, width: width)
            let zeros = filter.a1Array.map { $0 * fs }
            let pole = GammatoneComplex(polar: filter.b2.squareRoot(), angle: 2 * Double.pi * cf / fs)
            let poleConj = pole.conjugate
            for b in 0..<bins {
                let u = unit[b]
                var numerator = 1.0
                for z in zeros { numerator *= GammatoneComplex(u.re + z, u.im).magnitude }
                let poles = ((pole - u) * (poleConj - u) * fs).magnitude
                let value = numerator * pow(poles, -4) / filter.gain
                w[k * bins + b] = Float(value * scale)
            }
        }
        self.nfilts = nfilts
        binCount = bins
        centreFrequencies = cfs
        weights = w
    }

    /// `out[T, nfilts] = spectrum[T, bins] · Wᵀ`: one sgemm per clip.
    public func apply(_ spectrum: UnsafePointer<Float>, frames: Int, into out: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            BLAS.multiplyTransposed(spectrum, rows: frames, inner: binCount, w.baseAddress!, columns: nfilts, into: out)
        }
    }
}
