import CFFTW
import Foundation

/// `librosa.cqt` (0.10/0.11, `res_type='soxr_hq'`), magnitude only: the recursive
/// octave-by-octave algorithm of features.md §1.7.1.
///
/// Everything that depends only on the parameters is built once in `init` and shared by all
/// workers: the early-downsampling factor, and per octave its sample rate, hop, FFT size and
/// sparse FFT-domain kernel. The kernel already carries both of librosa's scalings, so a frame
/// costs one real FFT and ~150 complex multiply-adds per octave:
/// - `sqrt(sr'/sr_i)`, where `sr'` is the rate *after early downsampling*, not the input rate
///   (pitfall 1: using the input rate is off by `sqrt(2^c)` whenever early downsampling runs);
/// - `1/sqrt(L_k)` of `scale=True`, with `L_k` recomputed at `sr'` (pitfall 2: lengths at the
///   input rate are off by the same factor).
///
/// Per clip: optional early downsampling by `2^c`, then for each octave (highest first) a
/// rectangular-window, centred STFT with `n_fft` = the octave's kernel size, the sparse product,
/// and a soxr 2:1 decimation when the hop is even. Frames past the shortest octave's frame count
/// are never computed (`__trim_stack` would drop them).
public struct ConstantQTransform: Sendable {
    /// librosa's parameter names and defaults.
    public struct Parameters: Equatable, Sendable {
        public var sampleRate: Double = 22050
        public var hopLength: Int = 512
        public var fmin: Double = ConstantQFilters.c1
        public var nBins: Int = 84
        public var binsPerOctave: Int = 12
        public var tuning: Double = 0
        public var filterScale: Double = 1
        public var norm: ConstantQFilters.FilterNorm = .l1
        public var sparsity: Double = 0.01
        public var window: WindowFunction = .hann
        public var scale: Bool = true
        public var padMode: PadMode = .constant
        /// Reflect padding's end: librosa 0.11's tail slice (default) or the whole signal (`TailPadding`).
        /// Each octave's STFT follows it, so a small top-octave n_fft with a large hop can change the last frame.
        public var padTail: TailPadding = .slice
        public init() {}
    }

    /// One octave of the recursion.
    public struct Octave: Sendable {
        /// Index in the output of this octave's lowest bin.
        public let firstBin: Int
        public let sampleRate: Double
        public let hopLength: Int
        public let nFFT: Int
        /// Rows = bins `firstBin ..< firstBin + rowCount`, columns = FFT bins; scalings folded in.
        public let kernel: SparseComplexRows
        /// Whether the signal is decimated by 2 after this octave (librosa: when the hop is even).
        public let downsampleAfter: Bool
        let plan: RealFFTPlan
        let columns: ClosedRange<Int>
    }

    public let parameters: Parameters
    public let frequencies: [Double]
    /// Filter lengths at `sr'` (the ones `scale=True` divides by).
    public let lengths: [Double]
    /// `2^c` of `__early_downsample` (1 when none).
    public let earlyDownsampleFactor: Int
    public let octaves: [Octave]

    public init(_ p: Parameters) throws {
        guard p.nBins >= 2, p.binsPerOctave >= 1, p.hopLength >= 1, p.fmin > 0 else {
            throw DSPError("cqt needs n_bins ≥ 2, bins_per_octave ≥ 1, hop_length ≥ 1 and fmin > 0")
        }
        parameters = p
        let freqs = ConstantQFilters.frequencies(nBins: p.nBins, fmin: p.fmin, binsPerOctave: p.binsPerOctave, tuning: p.tuning)
        let alpha = ConstantQFilters.relativeBandwidth(freqs)
        let nOctaves = Int((Double(p.nBins) / Double(p.binsPerOctave)).rounded(.up))
        let nFilters = min(p.binsPerOctave, p.nBins)
        let (_, cutoff) = ConstantQFilters.waveletLengths(freqs: freqs, alpha: alpha, sampleRate: p.sampleRate,
                                                          filterScale: p.filterScale, window: p.window)
        let nyquist = p.sampleRate / 2
        guard cutoff <= nyquist else {
            throw DSPError("cqt: wavelet basis with max frequency \(cutoff) Hz would exceed the Nyquist frequency \(nyquist) Hz; reduce n_bins")
        }

        // __early_downsample_count
        let count1 = max(0, Int(ceil(log2(nyquist / cutoff)) - 1) - 1)
        let twos = p.hopLength.trailingZeroBitCount
        let count2 = max(0, twos - nOctaves + 1)
        let early = min(count1, count2)
        let factor = 1 << early
        let srPrime = p.sampleRate / Double(factor)
        earlyDownsampleFactor = factor

        let (lengthsPrime, _) = ConstantQFilters.waveletLengths(freqs: freqs, alpha: alpha, sampleRate: srPrime,
                                                                filterScale: p.filterScale, window: p.window)
        var octaves: [Octave] = []
        var sr = srPrime, hop = p.hopLength / factor
        for i in 0..<nOctaves {
            let upper = p.nBins - nFilters * i
            let lower = max(0, p.nBins - nFilters * (i + 1))
            let range = lower..<upper
            var (kernel, nFFT) = ConstantQFilters.sparseBasis(
                freqs: Array(freqs[range]), alpha: Array(alpha[range]), sampleRate: sr, filterScale: p.filterScale,
                norm: p.norm, sparsity: p.sparsity, window: p.window)
            // With scale=False librosa instead multiplies the early-downsampled signal by
            // sqrt(2^c); the kernel is linear, so that factor is folded in here too.
            let rescale = (srPrime / sr).squareRoot() * (p.scale ? 1 : Double(factor).squareRoot())
            kernel.scaleRows(range.map { p.scale ? rescale / lengthsPrime[$0].squareRoot() : rescale })
            let downsample = hop % 2 == 0 && i < nOctaves - 1
            octaves.append(Octave(firstBin: lower, sampleRate: sr, hopLength: hop, nFFT: nFFT, kernel: kernel,
                                  downsampleAfter: downsample, plan: FFTPlanCache.plan(size: nFFT),
                                  columns: kernel.columnRange))
            if hop % 2 == 0 {
                hop /= 2
                sr /= 2
            }
        }
        self.frequencies = freqs
        self.lengths = lengthsPrime
        self.octaves = octaves
    }

    /// Per-octave signal lengths for an input of `n` samples (after early downsampling).
    func octaveLengths(sampleCount n: Int) -> [Int] {
        var length = earlyDownsampleFactor > 1 ? Downsampler.outputLength(inputLength: n, factor: earlyDownsampleFactor) : n
        return octaves.map { octave in
            defer { if octave.downsampleAfter { length = Downsampler.outputLength(inputLength: length, factor: 2) } }
            return length
        }
    }

    /// `T` of the output: the smallest octave frame count, `1 + len_i / hop_i` (centred framing).
    public func frameCount(sampleCount n: Int) -> Int {
        guard n > 0 else { return 0 }
        return zip(octaveLengths(sampleCount: n), octaves).map { 1 + $0 / $1.hopLength }.min() ?? 0
    }

    /// One worker's scratch: FFT buffers per octave size and two signal buffers for the decimation
    /// chain, grown to the longest clip seen and then reused.
    public final class Workspace {
        var fftBuffers: [Int: FFTBuffers] = [:]
        var signalA: [Float] = []
        var signalB: [Float] = []
        var spectrum: [Float] = []
        /// The current octave's signal, centre-padded by `nFFT/2` each side and converted to
        /// float64 once, so each frame is one `memcpy` into the FFT buffer.
        var padded: [Double] = []

        public init(for transform: ConstantQTransform) {
            for octave in transform.octaves where fftBuffers[octave.nFFT] == nil {
                fftBuffers[octave.nFFT] = FFTBuffers(size: octave.nFFT)
            }
            let widest = transform.octaves.map { 2 * $0.columns.count }.max() ?? 0
            spectrum = [Float](repeating: 0, count: widest)
        }
    }

    public func makeWorkspace() -> Workspace { Workspace(for: self) }

    /// `|cqt(y)|`, time-major `[frameCount(n), n_bins]`, written into `out`.
    public func magnitude(_ signal: UnsafeBufferPointer<Float>, workspace ws: Workspace,
                          into out: UnsafeMutablePointer<Float>) throws {
        let n = signal.count
        let frames = frameCount(sampleCount: n)
        guard frames > 0 else { return }
        let nBins = parameters.nBins
        var current = 0  // 0: the input, 1: signalA, 2: signalB
        var length = n
        if earlyDownsampleFactor > 1 {
            guard n >= earlyDownsampleFactor else {
                throw DSPError("input signal length=\(n) is too short for \(octaves.count)-octave CQT")
            }
            length = try Downsampler.downsample(signal, factor: earlyDownsampleFactor, into: &ws.signalA)
            current = 1
        }
        for octave in octaves {
            let buffers = ws.fftBuffers[octave.nFFT]!
            func run(_ y: UnsafeBufferPointer<Float>) {
                respond(octave, y, frames: frames, buffers: buffers, spectrum: &ws.spectrum, padded: &ws.padded,
                        nBins: nBins, into: out)
            }
            switch current {
            case 0: run(signal)
            case 1: ws.signalA.withUnsafeBufferPointer { run(UnsafeBufferPointer(rebasing: $0[0..<length])) }
            default: ws.signalB.withUnsafeBufferPointer { run(UnsafeBufferPointer(rebasing: $0[0..<length])) }
            }
            guard octave.downsampleAfter else { continue }
            switch current {
            case 0:
                length = try Downsampler.downsample(signal, factor: 2, into: &ws.signalA)
                current = 1
            case 1:
                length = try ws.signalA.withUnsafeBufferPointer {
                    try Downsampler.downsample(UnsafeBufferPointer(rebasing: $0[0..<length]), factor: 2, into: &ws.signalB)
                }
                current = 2
            default:
                length = try ws.signalB.withUnsafeBufferPointer {
                    try Downsampler.downsample(UnsafeBufferPointer(rebasing: $0[0..<length]), factor: 2, into: &ws.signalA)
                }
                current = 1
            }
        }
    }

    /// One octave: rectangular-window centred frames of `nFFT` samples every `hop`, FFT (float64,
    /// rounded to complex64 like librosa's STFT), then the sparse kernel product and `|·|`.
    func respond(_ octave: Octave, _ y: UnsafeBufferPointer<Float>, frames: Int, buffers: FFTBuffers,
                 spectrum: inout [Float], padded: inout [Double], nBins: Int, into out: UnsafeMutablePointer<Float>) {
        let nFFT = octave.nFFT, hop = octave.hopLength, half = nFFT / 2
        let n = y.count
        // Only the samples the first `frames` frames touch.
        let paddedCount = (frames - 1) * hop + nFFT
        if padded.count < paddedCount { padded = [Double](repeating: 0, count: paddedCount) }
        let padMode = parameters.padMode
        // Only frames from librosa's tail_k on read past the end, and all of them read the tail slice.
        let tailSlice = parameters.padTail.sliceStart(sampleCount: n, nFFT: nFFT, hopLength: hop, padMode: padMode)
        padded.withUnsafeMutableBufferPointer { x in
            for i in 0..<paddedCount {
                let j = i - half
                x[i] = Double(j >= 0 && j < n ? y[j] : padMode.sample(y, at: j, tailSliceStart: tailSlice))
            }
        }
        let input = buffers.input
        let lo = octave.columns.lowerBound, width = octave.columns.count
        let k = octave.kernel
        padded.withUnsafeBufferPointer { x in
        spectrum.withUnsafeMutableBufferPointer { spec in
            k.rowStart.withUnsafeBufferPointer { rowStart in
            k.column.withUnsafeBufferPointer { column in
            k.re.withUnsafeBufferPointer { kre in
            k.im.withUnsafeBufferPointer { kim in
                for t in 0..<frames {
                    input.update(from: x.baseAddress! + t * hop, count: nFFT)
                    octave.plan.execute(buffers)
                    let output = buffers.output
                    for c in 0..<width {
                        spec[2 * c] = Float(output[lo + c].0)
                        spec[2 * c + 1] = Float(output[lo + c].1)
                    }
                    let row = out + t * nBins + octave.firstBin
                    for r in 0..<(rowStart.count - 1) {
                        var accRe: Float = 0, accIm: Float = 0
                        for i in rowStart[r]..<rowStart[r + 1] {
                            let c = column[i] - lo
                            let xr = spec[2 * c], xi = spec[2 * c + 1]
                            accRe += kre[i] * xr - kim[i] * xi
                            accIm += kre[i] * xi + kim[i] * xr
                        }
                        // numpy's |complex64| is hypotf; a plain square root is within 1 ulp of it
                        // at these magnitudes and much cheaper.
                        row[r] = (accRe * accRe + accIm * accIm).squareRoot()
                    }
                }
            }}}}
        }}
    }
}
