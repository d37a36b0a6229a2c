import Foundation

/// Filter design of librosa's constant-Q transform (librosa/filters.py `wavelet_lengths`,
/// `_relative_bandwidth`, `wavelet`, `window_bandwidth`; librosa/core/constantq.py
/// `__vqt_filter_fft`; `util.sparsify_rows`), features.md §1.7.1.
///
/// Everything here runs once per parameter set (in an extractor's `init`), so it favours
/// reproducing librosa's arithmetic order over speed.
public enum ConstantQFilters {
    /// `librosa.note_to_hz('C1')` = `440 · 2^((24 - 69)/12)`, librosa's default `fmin`.
    public static let c1: Double = 440.0 * pow(2.0, (24.0 - 69.0) / 12.0)

    /// `librosa.interval_frequencies(n_bins, fmin=fmin·2^(tuning/bpo), intervals='equal')`: one
    /// octave of ratios `2^(j/bpo)`, tiled by exact powers of two, times `fmin`.
    public static func frequencies(nBins: Int, fmin: Double, binsPerOctave: Int, tuning: Double = 0) -> [Double] {
        let tunedFmin = fmin * pow(2.0, tuning / Double(binsPerOctave))
        return (0..<nBins).map { k in
            let octave = pow(2.0, Double(k / binsPerOctave))
            let ratio = pow(2.0, Double(k % binsPerOctave) / Double(binsPerOctave))
            return octave * ratio * tunedFmin
        }
    }

    /// `filters._relative_bandwidth`: the local octave resolution from the log2 spacing of the
    /// neighbours (one-sided at both ends), then `alpha = (2^(2/bpo) - 1) / (2^(2/bpo) + 1)`.
    /// For equal spacing this is 0.0577 for 12 bins per octave, i.e. Q = 17.33, not Brown's
    /// classic 16.82; tiny per-bin differences come from the float64 log2 differences, and
    /// reproducing them keeps the filter lengths bit-identical.
    public static func relativeBandwidth(_ freqs: [Double]) -> [Double] {
        precondition(freqs.count >= 2, "2 or more frequencies are required to compute bandwidths")
        let logf = freqs.map { log2($0) }
        let n = freqs.count
        var bpo = [Double](repeating: 0, count: n)
        bpo[0] = 1 / (logf[1] - logf[0])
        bpo[n - 1] = 1 / (logf[n - 1] - logf[n - 2])
        if n > 2 { for k in 1..<(n - 1) { bpo[k] = 2 / (logf[k + 1] - logf[k - 1]) } }
        return bpo.map { b in
            let r = pow(2.0, 2 / b)
            return (r - 1) / (r + 1)
        }
    }

    /// `filters.window_bandwidth`: the equivalent noise bandwidth in bins, from librosa's table.
    public static func windowBandwidth(_ window: WindowFunction) -> Double {
        switch window {
        case .hann: return 1.50018310546875
        case .hamming: return 1.3629455320350348
        case .ones: return 1.0
        case .hannSymmetric, .torchHannSymmetric:
            // Not librosa window names; computed as librosa does for unknown windows (n = 1000).
            let w = window.values(length: 1000)
            let s1 = w.reduce(0, +), s2 = w.reduce(0) { $0 + $1 * $1 }
            return 1000 * s2 / (s1 * s1)
        }
    }

    /// `filters.wavelet_lengths` with `gamma = 0`: fractional filter lengths `Q·sr/f` with
    /// `Q = filter_scale/alpha`, and the highest frequency any filter passes,
    /// `max f·(1 + B_w/(2Q))`, which must stay below Nyquist.
    public static func waveletLengths(freqs: [Double], alpha: [Double], sampleRate sr: Double,
                                      filterScale: Double, window: WindowFunction) -> (lengths: [Double], cutoff: Double) {
        let bw = windowBandwidth(window)
        var lengths = [Double](repeating: 0, count: freqs.count)
        var cutoff = -Double.infinity
        for k in freqs.indices {
            let q = filterScale / alpha[k]
            cutoff = max(cutoff, freqs[k] * (1 + 0.5 * bw / q) + 0.5 * 0.0)
            lengths[k] = q * sr / (freqs[k] + 0.0 / alpha[k])
        }
        return (lengths, cutoff)
    }

    /// How each time-domain filter is normalised (`norm` in librosa: 1, 2, or None).
    public enum FilterNorm: Equatable, Sendable {
        case l1, l2, none
    }

    /// The FFT-domain basis of one octave, `__vqt_filter_fft(sr, freqs, ...)` with `hop_length=None`:
    /// rows in the order of `freqs`, columns `0...nFFT/2`, sparsified row by row.
    ///
    /// librosa's steps, in its rounding order: windowed complex exponential over
    /// `t = floor(-L/2) ..< floor(L/2)` (float64), normalised, centred (`pad_center`) in
    /// `nFFT = 2^ceil(log2 max L)` and stored as complex64; multiplied by `L/nFFT` (rounded to
    /// complex64); FFT; first `nFFT/2+1` bins; `sparsify_rows(quantile=sparsity)`. The complex
    /// FFT is done as two real FFTs (real and imaginary part), which give exactly the
    /// non-negative-frequency half that is kept.
    public static func sparseBasis(freqs: [Double], alpha: [Double], sampleRate sr: Double, filterScale: Double,
                                   norm: FilterNorm, sparsity: Double, window: WindowFunction) -> (basis: SparseComplexRows, nFFT: Int) {
        let (lengths, _) = waveletLengths(freqs: freqs, alpha: alpha, sampleRate: sr, filterScale: filterScale, window: window)
        let maxLength = lengths.max() ?? 1
        let nFFT = Int(pow(2.0, ceil(log2(maxLength))))
        let bins = nFFT / 2 + 1
        let plan = FFTPlanCache.plan(size: nFFT)
        let realBuffers = FFTBuffers(size: nFFT), imagBuffers = FFTBuffers(size: nFFT)
        var rows = SparseComplexRows(columnCount: bins)
        var re = [Float](repeating: 0, count: bins), im = [Float](repeating: 0, count: bins)
        for (k, length) in lengths.enumerated() {
            let start = (-length / 2).rounded(.down), stop = (length / 2).rounded(.down)
            let count = Int(stop - start)
            let w = window.values(length: count)
            var hRe = [Double](repeating: 0, count: count), hIm = [Double](repeating: 0, count: count)
            for j in 0..<count {
                let angle = (start + Double(j)) * 2 * Double.pi * freqs[k] / sr
                hRe[j] = cos(angle) * w[j]
                hIm[j] = sin(angle) * w[j]
            }
            // `util.normalize` divides by the norm (not multiplies by its reciprocal).
            var divisor = 1.0
            switch norm {
            case .l1: divisor = zip(hRe, hIm).reduce(0) { $0 + hypot($1.0, $1.1) }
            case .l2: divisor = zip(hRe, hIm).reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }.squareRoot()
            case .none: break
            }
            let left = (nFFT - count) / 2
            let lengthScale = length / Double(nFFT)
            for i in 0..<nFFT { realBuffers.input[i] = 0; imagBuffers.input[i] = 0 }
            for j in 0..<count {
                // complex64 storage, then `basis *= L/n_fft` in float64 rounded back to complex64.
                let storedRe = Float(hRe[j] / divisor), storedIm = Float(hIm[j] / divisor)
                realBuffers.input[left + j] = Double(Float(Double(storedRe) * lengthScale))
                imagBuffers.input[left + j] = Double(Float(Double(storedIm) * lengthScale))
            }
            plan.execute(realBuffers)
            plan.execute(imagBuffers)
            for f in 0..<bins {
                // FFT(a + ib) = FFT(a) + i·FFT(b).
                let (ar, ai) = realBuffers.bin(f), (br, bi) = imagBuffers.bin(f)
                re[f] = Float(ar - bi)
                im[f] = Float(ai + br)
            }
            rows.appendSparsified(re: re, im: im, quantile: sparsity)
        }
        return (rows, nFFT)
    }
}
