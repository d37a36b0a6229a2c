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
        case .hannSymmetric:
            // Not a librosa window name; computed as librosa does for unknown windows (n = 1000).
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

/// A complex matrix stored by rows with only its non-zero entries (CSR), float32 as librosa's
/// `scipy.sparse` basis is complex64.
public struct SparseComplexRows: Sendable {
    public let columnCount: Int
    /// Entries of row `r` are `rowStart[r] ..< rowStart[r+1]`.
    public private(set) var rowStart: [Int] = [0]
    public private(set) var column: [Int] = []
    public private(set) var re: [Float] = []
    public private(set) var im: [Float] = []

    public init(columnCount: Int) { self.columnCount = columnCount }

    public var rowCount: Int { rowStart.count - 1 }
    public var nonZeroCount: Int { column.count }
    /// Smallest and largest column with a stored entry (the FFT bins any row needs).
    public var columnRange: ClosedRange<Int> { (column.min() ?? 0)...(column.max() ?? 0) }

    /// Appends a row, keeping only the entries `util.sparsify_rows(quantile=...)` keeps: sort the
    /// magnitudes ascending, find the first index where their running share of the row's L1 mass
    /// reaches `quantile`, and keep every entry at least as large as the magnitude there. All in
    /// float32, as numpy does it on the complex64 basis.
    public mutating func appendSparsified(re rowRe: [Float], im rowIm: [Float], quantile: Double) {
        let mags = zip(rowRe, rowIm).map { hypotf($0, $1) }
        var threshold: Float = 0
        if quantile > 0 {
            let norm = Float(mags.reduce(0.0) { $0 + Double($1) })
            let sorted = mags.sorted()
            let q = Float(quantile)
            var cumulative: Float = 0
            var index = 0   // numpy's argmin of an all-False mask is 0 as well
            for (i, m) in sorted.enumerated() {
                cumulative += m / norm
                if !(cumulative < q) { index = i; break }
            }
            threshold = sorted[index]
        }
        for (c, m) in mags.enumerated() where m >= threshold && m > 0 {
            column.append(c)
            re.append(rowRe[c])
            im.append(rowIm[c])
        }
        rowStart.append(column.count)
    }

    /// Multiplies every entry of row `r` by `factors[r]` (in float64, rounded to float32).
    public mutating func scaleRows(_ factors: [Double]) {
        precondition(factors.count == rowCount)
        for r in 0..<rowCount {
            for i in rowStart[r]..<rowStart[r + 1] {
                re[i] = Float(Double(re[i]) * factors[r])
                im[i] = Float(Double(im[i]) * factors[r])
            }
        }
    }
}
