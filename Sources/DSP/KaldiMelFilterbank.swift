import Foundation

/// The mel filterbank of `torchaudio.compliance.kaldi.get_mel_banks` (Kaldi's `MelBanks`), as the
/// CP-JKU front end uses it (features.md §7.3), padded with one zero column for the Nyquist bin:
/// `[numBins, windowLengthPadded/2 + 1]` float32, row-major.
///
/// How it differs from `MelFilterbank` (librosa), and why both exist:
/// - Kaldi's mel scale is `1127 ln(1 + f/700)` (the HTK curve written with a natural log);
/// - the `numBins + 2` band edges are equally spaced in mel between `lowFreq` and `highFreq`
///   (`delta = (mel(high) - mel(low)) / (numBins + 1)`), and each triangle is linear **in mel**
///   (librosa's are linear in Hz between mel-spaced edges);
/// - there is no normalisation (peak 1, not unit area);
/// - the FFT bins are `k · sampleFreq / windowLengthPadded` for `k < windowLengthPadded/2` only: the
///   Nyquist bin gets no weight (the zero column that `AugmentMelSTFT` and `kaldi.fbank` pad on).
/// A model trained on one bank sees a different input with the other, so they are not interchangeable.
///
/// Arithmetic: torch evaluates the bank in float32 tensors (python floats are weak scalars), with only
/// `mel(lowFreq)`, `mel(highFreq)` and `delta` in float64 (`math.log`); this repeats those float32
/// operations in the same order, with the float32 `log` exactly rounded, so the weights match torch's
/// up to its vectorised `log` (within 1 ulp of exact). Argument names follow `get_mel_banks`.
///
/// VTLN is not implemented: `AugmentMelSTFT` passes `vtln_warp_factor=1.0`, for which the warp is the
/// identity and `vtln_low`/`vtln_high` (100, -500) play no part.
public struct KaldiMelFilterbank: Sendable {
    /// Number of mel bands (`num_bins`, `n_mels`).
    public let numBins: Int
    /// FFT length (`window_length_padded`, `n_fft`).
    public let windowLengthPadded: Int
    /// Columns: `windowLengthPadded/2 + 1`, the last one (Nyquist) all zeros.
    public let binCount: Int
    /// Resolved band limits in Hz (`highFreq <= 0` given as an offset from Nyquist is resolved here).
    public let lowFreq: Double
    public let highFreq: Double
    /// `[numBins, binCount]` row-major float32, peak 1.
    public let weights: [Float]
    /// Centre of each band in Hz (`get_mel_banks`' second result, float32 there).
    public let centerFrequencies: [Double]

    /// Kaldi's mel: `1127 ln(1 + f/700)` (`mel_scale_scalar`, float64).
    public static func mel(hz f: Double) -> Double { 1127.0 * log(1.0 + f / 700.0) }

    /// Its inverse, `700 (exp(m/1127) - 1)` (`inverse_mel_scale`).
    public static func hz(mel m: Double) -> Double { 700.0 * (exp(m / 1127.0) - 1.0) }

    /// - Parameters:
    ///   - numBins: mel bands, more than 3 (Kaldi's requirement).
    ///   - windowLengthPadded: the FFT length, even.
    ///   - sampleFreq: sample rate in Hz.
    ///   - lowFreq: lower edge in Hz, `0 <= lowFreq < Nyquist`.
    ///   - highFreq: upper edge in Hz; `<= 0` means `Nyquist + highFreq` (Kaldi's convention).
    public init(numBins: Int, windowLengthPadded: Int, sampleFreq: Double, lowFreq: Double, highFreq: Double) throws {
        guard numBins > 3 else { throw DSPError("n_mels must be at least 4 (Kaldi), got \(numBins)") }
        guard windowLengthPadded > 0, windowLengthPadded % 2 == 0 else {
            throw DSPError("n_fft must be even and positive (Kaldi), got \(windowLengthPadded)")
        }
        let nyquist = 0.5 * sampleFreq
        let high = highFreq <= 0 ? highFreq + nyquist : highFreq
        guard lowFreq >= 0, lowFreq < nyquist, high > 0, high <= nyquist, lowFreq < high else {
            throw DSPError("bad mel band limits: fmin \(lowFreq), fmax \(high) vs. Nyquist \(nyquist)")
        }
        let fftBins = windowLengthPadded / 2
        let columns = fftBins + 1
        let fftBinWidth = Float(sampleFreq / Double(windowLengthPadded))
        let melLow = Self.mel(hz: lowFreq)
        let delta = (Self.mel(hz: high) - melLow) / Double(numBins + 1)
        let melLow32 = Float(melLow), delta32 = Float(delta)

        // Mel of every FFT bin below Nyquist: float32 `1127 * log(1 + (width * k) / 700)`. The log is
        // exact, rounded once to float32: glibc's `logf` misses that in 2 of the 2048 arguments here,
        // and one ulp of a bin's mel (2.4e-4 near 3000 mel) is 2e-5 of a weight beside a band edge.
        var binMel = [Float](repeating: 0, count: fftBins)
        for k in 0..<fftBins {
            let x = 1 + (fftBinWidth * Float(k)) / 700
            binMel[k] = 1127 * Float(log(Double(x)))
        }
        var w = [Float](repeating: 0, count: numBins * columns)
        var centers = [Double](repeating: 0, count: numBins)
        for i in 0..<numBins {
            let b = Float(i)
            let left = melLow32 + b * delta32
            let center = melLow32 + (b + 1) * delta32
            let right = melLow32 + (b + 2) * delta32
            centers[i] = Double(700 * (expf(center / 1127) - 1))
            let upWidth = center - left, downWidth = right - center
            let row = i * columns
            for k in 0..<fftBins {
                let up = (binMel[k] - left) / upWidth
                let down = (right - binMel[k]) / downWidth
                let m = Swift.min(up, down)
                // torch.max(zeros(1), x): zero below the triangle; never -0.0.
                w[row + k] = m > 0 ? m : 0
            }
        }
        self.numBins = numBins
        self.windowLengthPadded = windowLengthPadded
        self.binCount = columns
        self.lowFreq = lowFreq
        self.highFreq = high
        self.weights = w
        self.centerFrequencies = centers
    }

    /// `out[T, numBins] = power[T, binCount] · Wᵀ`: one sgemm per clip (the transpose of the
    /// reference's `matmul(mel_basis, x)`, since this pipeline is time-major).
    public func apply(_ power: UnsafePointer<Float>, frames: Int, into out: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            BLAS.multiplyTransposed(power, rows: frames, inner: binCount, w.baseAddress!, columns: numBins, into: out)
        }
    }
}
