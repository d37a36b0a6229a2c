import Foundation

/// nnAudio's `CQT1992v2` (nnAudio 0.3.x `features/cqt.py` + `utils.create_cqt_kernels`), the CQT
/// SPSMR's DCASE 2020 code used (features.md §1.7.4), magnitude output with
/// `normalization_type='librosa'`.
///
/// It differs from `librosa.cqt` on purpose, and each difference changes numbers:
/// Brown's `Q = filter_scale/(2^(1/bpo) - 1)` (16.82, not 17.33); integer lengths
/// `L_k = ceil(Q·sr/f_k)`; all filters at the full rate (no downsampling, no sparsity);
/// reflect padding by `K/2` with `K = 2^ceil(log2 max L)`; output times `sqrt(L_k)`.
///
/// nnAudio runs a strided `conv1d` over the padded signal with the real and imaginary kernels.
/// Here the same dot products are grouped one octave of bins at a time: a block of frames is
/// copied into a `[frames, span]` matrix, where `span` covers the union of the group's kernel
/// supports inside the `K`-sample window, and one sgemm against the group's `[2·bins, span]`
/// kernel matrix gives real and imaginary parts. Only the supports are multiplied, so the cost is
/// about `Σ_k L_k` multiply-adds per frame instead of `n_bins · K`.
public struct ConstantQ1992v2: Sendable {
    public struct Parameters: Equatable, Sendable {
        public var sampleRate: Double = 22050
        public var hopLength: Int = 512
        /// nnAudio's default is 32.70 Hz (not exactly librosa's C1).
        public var fmin: Double = 32.70
        public var nBins: Int = 84
        public var binsPerOctave: Int = 12
        public var filterScale: Double = 1
        public var norm: ConstantQFilters.FilterNorm = .l1
        public var window: WindowFunction = .hann
        public var center: Bool = true
        public var padMode: PadMode = .reflect
        public init() {}
    }

    struct Group: Sendable {
        let firstBin: Int
        let binCount: Int
        /// Offset of the span inside the `K`-sample kernel window.
        let offset: Int
        let span: Int
        /// `[2·binCount, span]` row-major: real rows, then imaginary rows; `sqrt(L_k)` folded in.
        let weights: [Float]
    }

    public let parameters: Parameters
    public let frequencies: [Double]
    public let lengths: [Double]
    /// `K`: kernel width and padding `K/2` on each side when centred.
    public let kernelWidth: Int
    let groups: [Group]
    /// Frames per sgemm block: keeps the copied frame matrix in cache.
    static let blockFrames = 64

    public init(_ p: Parameters) throws {
        guard p.nBins >= 1, p.binsPerOctave >= 1, p.hopLength >= 1, p.fmin > 0 else {
            throw DSPError("CQT1992v2 needs n_bins ≥ 1, bins_per_octave ≥ 1, hop_length ≥ 1 and fmin > 0")
        }
        parameters = p
        let sr = p.sampleRate
        let q = p.filterScale / (pow(2.0, 1.0 / Double(p.binsPerOctave)) - 1)
        let freqs = (0..<p.nBins).map { p.fmin * pow(2.0, Double($0) / Double(p.binsPerOctave)) }
        guard let top = freqs.last, top <= sr / 2 else {
            throw DSPError("CQT1992v2: the top bin \(freqs.last ?? 0) Hz exceeds the Nyquist frequency; reduce n_bins")
        }
        let lengths = freqs.map { (q * sr / $0).rounded(.up) }
        let width = Int(pow(2.0, ceil(log2(lengths.max()!))))
        frequencies = freqs
        self.lengths = lengths
        kernelWidth = width

        // Time-domain kernels, as create_cqt_kernels: periodic window of L samples times
        // exp(2πi f n/sr) for n = floor(-L/2) ..< floor(L/2), over L, normalised (the 1/L cancels
        // for norm 1 and 2), placed at ceil(K/2 - L/2) (one earlier when L is odd), complex64.
        var groups: [Group] = []
        var groupStart = 0
        while groupStart < p.nBins {
            let bins = groupStart..<min(p.nBins, groupStart + p.binsPerOctave)
            var placements: [(start: Int, re: [Float], im: [Float])] = []
            for k in bins {
                let l = lengths[k]
                let count = Int(l)
                var start = Int((Double(width) / 2 - l / 2).rounded(.up))
                if count % 2 == 1 { start -= 1 }
                let w = p.window.values(length: count)
                let first = (-l / 2).rounded(.down)
                var re = [Double](repeating: 0, count: count), im = [Double](repeating: 0, count: count)
                for j in 0..<count {
                    let angle = (first + Double(j)) * 2 * Double.pi * freqs[k] / sr
                    re[j] = w[j] * cos(angle) / l
                    im[j] = w[j] * sin(angle) / l
                }
                var divisor = 1.0
                switch p.norm {
                case .l1: divisor = zip(re, im).reduce(0) { $0 + hypot($1.0, $1.1) }
                case .l2: divisor = zip(re, im).reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }.squareRoot()
                case .none: break
                }
                // complex64 kernel; the output's sqrt(L) (float32 in torch) is folded into it.
                let gain = Double(Float(l).squareRoot())
                placements.append((start, re.map { Float(Double(Float($0 / divisor)) * gain) },
                                          im.map { Float(Double(Float($0 / divisor)) * gain) }))
            }
            let offset = placements.map(\.start).min()!
            let end = placements.map { $0.start + $0.re.count }.max()!
            let span = end - offset
            var weights = [Float](repeating: 0, count: 2 * bins.count * span)
            for (r, placement) in placements.enumerated() {
                for j in 0..<placement.re.count {
                    weights[r * span + placement.start - offset + j] = placement.re[j]
                    weights[(bins.count + r) * span + placement.start - offset + j] = placement.im[j]
                }
            }
            groups.append(Group(firstBin: bins.lowerBound, binCount: bins.count, offset: offset, span: span, weights: weights))
            groupStart = bins.upperBound
        }
        self.groups = groups
    }

    /// `1 + n/hop` when centred; `1 + (n - K)/hop` otherwise (0 if the clip is shorter than `K`).
    public func frameCount(sampleCount n: Int) -> Int {
        let padded = parameters.center ? n + 2 * (kernelWidth / 2) : n
        return padded < kernelWidth ? 0 : 1 + (padded - kernelWidth) / parameters.hopLength
    }

    /// Per-worker scratch: the padded signal, one block of frames and its product.
    public final class Workspace {
        var padded: [Float] = []
        var frames: [Float]
        var product: [Float]

        public init(for transform: ConstantQ1992v2) {
            let span = transform.groups.map(\.span).max() ?? 0
            let rows = transform.groups.map { 2 * $0.binCount }.max() ?? 0
            frames = [Float](repeating: 0, count: ConstantQ1992v2.blockFrames * span)
            product = [Float](repeating: 0, count: ConstantQ1992v2.blockFrames * rows)
        }
    }

    public func makeWorkspace() -> Workspace { Workspace(for: self) }

    /// `CQT1992v2(...)(y)` magnitude, time-major `[frameCount(n), n_bins]`, written into `out`.
    public func magnitude(_ signal: UnsafeBufferPointer<Float>, workspace ws: Workspace,
                          into out: UnsafeMutablePointer<Float>) {
        let n = signal.count
        let frameTotal = frameCount(sampleCount: n)
        guard frameTotal > 0 else { return }
        let pad = parameters.center ? kernelWidth / 2 : 0
        let paddedCount = n + 2 * pad
        if ws.padded.count < paddedCount { ws.padded = [Float](repeating: 0, count: paddedCount) }
        let padMode = parameters.padMode
        ws.padded.withUnsafeMutableBufferPointer { x in
            for i in 0..<paddedCount { x[i] = padMode.sample(signal, at: i - pad) }
        }
        let nBins = parameters.nBins, hop = parameters.hopLength
        ws.padded.withUnsafeBufferPointer { x in
        ws.frames.withUnsafeMutableBufferPointer { frames in
        ws.product.withUnsafeMutableBufferPointer { product in
            for group in groups {
                group.weights.withUnsafeBufferPointer { w in
                    var t0 = 0
                    while t0 < frameTotal {
                        let rows = min(Self.blockFrames, frameTotal - t0)
                        for r in 0..<rows {
                            let src = x.baseAddress! + (t0 + r) * hop + group.offset
                            (frames.baseAddress! + r * group.span).update(from: src, count: group.span)
                        }
                        BLAS.multiplyTransposed(frames.baseAddress!, rows: rows, inner: group.span,
                                                w.baseAddress!, columns: 2 * group.binCount, into: product.baseAddress!)
                        let stride = 2 * group.binCount
                        for r in 0..<rows {
                            let row = out + (t0 + r) * nBins + group.firstBin
                            let p = product.baseAddress! + r * stride
                            for b in 0..<group.binCount {
                                let re = p[b], im = p[group.binCount + b]
                                row[b] = (re * re + im * im).squareRoot()
                            }
                        }
                        t0 += rows
                    }
                }
            }
        }}}
    }
}
