import CFFTW
import CSpectrum
import Foundation

/// Short-time Fourier transform with librosa's framing conventions (features.md §1.2).
///
/// The window of `winLength` samples is centred in `nFFT` (`pad_center`); with `center`, frame `t`
/// is centred on sample `t·hop` and the signal is padded by `nFFT/2` on each side, so
/// `T = 1 + n/hop`. With `precision: .float64` (the default) the transform runs in float64 and is
/// rounded to complex64, as librosa's is; with `.float32` the windowed frame and FFTW's transform are
/// single precision (about twice as fast; `FFTPrecision`). Frames are built one at a time in a
/// worker's own `FFTBuffers`: nothing is allocated per frame.
///
/// `padTail` says how reflect padding treats the end: `.slice` (the default) as librosa 0.11, which
/// pads only a tail slice and so can change the last frame when hop ≥ n_fft/2 (`TailPadding`);
/// `.whole` as torch.stft and librosa ≤ 0.9. `sampleOffset` is added to every sample (in float64,
/// before padding; constant padding stays zero), the DCASE SELD baselines' `audio + 1e-8`.
public struct STFT: Sendable {
    public let nFFT: Int
    public let hopLength: Int
    public let winLength: Int
    public let window: WindowFunction
    public let center: Bool
    public let padMode: PadMode
    public let padTail: TailPadding
    public let sampleOffset: Double
    public let precision: FFTPrecision
    let windowValues: [Double]
    /// The window rounded to float32, for `.float32`.
    let windowValues32: [Float]
    let plan: RealFFTPlan
    let plan32: RealFFTPlan32?

    public init(nFFT: Int, hopLength: Int? = nil, winLength: Int? = nil, window: WindowFunction = .hann,
                center: Bool = true, padMode: PadMode = .constant, padTail: TailPadding = .slice,
                sampleOffset: Double = 0, precision: FFTPrecision = .float64) {
        let winLength = winLength ?? nFFT
        self.nFFT = nFFT
        self.winLength = winLength
        self.hopLength = hopLength ?? winLength / 4
        self.window = window
        self.center = center
        self.padMode = padMode
        self.padTail = padTail
        self.sampleOffset = sampleOffset
        self.precision = precision
        windowValues = window.padded(winLength: winLength, size: nFFT)
        windowValues32 = precision == .float32 ? windowValues.map { Float($0) } : []
        plan = FFTPlanCache.plan(size: nFFT)
        plan32 = precision == .float32 ? FFTPlanCache.plan32(size: nFFT) : nil
    }

    public var binCount: Int { nFFT / 2 + 1 }

    /// Number of frames for `sampleCount` samples (0 when `center` is off and the signal is shorter than one frame).
    public func frameCount(sampleCount n: Int) -> Int {
        let padded = center ? n + 2 * (nFFT / 2) : n
        return padded < nFFT ? 0 : 1 + (padded - nFFT) / hopLength
    }

    public func makeBuffers() -> FFTBuffers { FFTBuffers(size: nFFT, precision: precision) }

    /// Runs the FFT of every frame of `signal` and hands each result to `body(frameIndex, buffers)`.
    public func forEachFrame(_ signal: UnsafeBufferPointer<Float>, buffers: FFTBuffers,
                             _ body: (Int, FFTBuffers) -> Void) {
        if let plan32 { return forEachFrame32(signal, plan: plan32, buffers: buffers, body) }
        let n = signal.count
        let frames = frameCount(sampleCount: n)
        let offset = center ? nFFT / 2 : 0
        let tailSlice = center ? padTail.sliceStart(sampleCount: n, nFFT: nFFT, hopLength: hopLength, padMode: padMode) : nil
        let input = buffers.input
        let add = sampleOffset
        // Constant padding is zeros of the padded array: the offset applies to signal samples only.
        let padAdd = padMode == .constant ? 0 : add
        windowValues.withUnsafeBufferPointer { w in
            for t in 0..<frames {
                let start = t * hopLength - offset
                if start >= 0 && start + nFFT <= n {
                    // Indexing a pointer at the frame, not `signal[start + k]`: the overflow check of
                    // `start + k` kept this loop scalar (perf: the STFT's largest own cost).
                    let x = signal.baseAddress! + start
                    if add == 0 {
                        ap_window_frame(w.baseAddress, x, input, nFFT)  // CSpectrum: the same products, vectorised
                    } else {
                        for k in 0..<nFFT { input[k] = w[k] * (Double(x[k]) + add) }
                    }
                } else {
                    for k in 0..<nFFT {
                        let i = start + k
                        let x = Double(padMode.sample(signal, at: i, tailSliceStart: tailSlice))
                        input[k] = w[k] * (add == 0 ? x : x + (i >= 0 && i < n ? add : padAdd))
                    }
                }
                plan.execute(buffers)
                body(t, buffers)
            }
        }
    }

    /// `forEachFrame` in single precision: the same frames, windowed in float32 (the offset added in
    /// float32) and transformed by `fftwf` into `buffers.output32`.
    func forEachFrame32(_ signal: UnsafeBufferPointer<Float>, plan: RealFFTPlan32, buffers: FFTBuffers,
                        _ body: (Int, FFTBuffers) -> Void) {
        let n = signal.count
        let frames = frameCount(sampleCount: n)
        let offset = center ? nFFT / 2 : 0
        let tailSlice = center ? padTail.sliceStart(sampleCount: n, nFFT: nFFT, hopLength: hopLength, padMode: padMode) : nil
        guard let input = buffers.input32 else { preconditionFailure("float32 STFT given float64 FFTBuffers") }
        let add = Float(sampleOffset)
        let padAdd = padMode == .constant ? 0 : add
        windowValues32.withUnsafeBufferPointer { w in
            for t in 0..<frames {
                let start = t * hopLength - offset
                if start >= 0 && start + nFFT <= n {
                    let x = signal.baseAddress! + start
                    if add == 0 {
                        for k in 0..<nFFT { input[k] = w[k] * x[k] }
                    } else {
                        for k in 0..<nFFT { input[k] = w[k] * (x[k] + add) }
                    }
                } else {
                    for k in 0..<nFFT {
                        let i = start + k
                        let x = padMode.sample(signal, at: i, tailSliceStart: tailSlice)
                        input[k] = w[k] * (add == 0 ? x : x + (i >= 0 && i < n ? add : padAdd))
                    }
                }
                plan.execute(buffers)
                body(t, buffers)
            }
        }
    }

    /// `|STFT|^power` as float32, time-major `[T, nFFT/2+1]` written into `out`.
    ///
    /// Matches `np.abs(stft(y)) ** power` for float32 `y`: the float64 transform is rounded to
    /// complex64, the magnitude is float32 `hypot`, and power 2 is a float32 square.
    public func magnitude(_ signal: UnsafeBufferPointer<Float>, power: Float, buffers: FFTBuffers,
                          into out: UnsafeMutablePointer<Float>) {
        products(signal, [.magnitude(power: power)], buffers: buffers, into: [out])
    }

    /// What one frame's transform is turned into, as float32 `[nFFT/2+1]`.
    public enum Product: Hashable, Sendable {
        /// `|X|^power` with `X` rounded to complex64 first (numpy's complex64 `abs`, then float32 power): `magnitude`.
        case magnitude(power: Float)
        /// `(|X|²)^(power/2)` from the float64 transform, rounded once (the gammatone's amplitude).
        case float64Magnitude(power: Float)
    }

    /// Several products of one transform per frame: the FFT of each frame runs once and every product
    /// row is written from it, each exactly as it would be alone. `outs[i]` receives `[T, bins]` of `products[i]`.
    public func products(_ signal: UnsafeBufferPointer<Float>, _ products: [Product], buffers: FFTBuffers,
                         into outs: [UnsafeMutablePointer<Float>]) {
        precondition(products.count == outs.count)
        let bins = binCount
        if precision == .float32 { return products32(signal, products, buffers: buffers, into: outs) }
        forEachFrame(signal, buffers: buffers) { t, buffers in
            let spectrum = buffers.output
            for (product, out) in zip(products, outs) {
                let row = out + t * bins
                switch product {
                case .magnitude(let power):
                    // CSpectrum's kernels are `hypot` below (and its square) on the CPU's widest
                    // vector unit: the float64 root per bin was the STFT's largest own cost.
                    let pairs = UnsafeRawPointer(spectrum).assumingMemoryBound(to: Double.self)
                    if power == 2 {
                        ap_complex64_power(pairs, row, bins)
                    } else {
                        ap_complex64_abs(pairs, row, bins)
                        if power != 1 { for k in 0..<bins { row[k] = powf(row[k], power) } }
                    }
                case .float64Magnitude(let power):
                    let p = Double(power)
                    if p == 1 {
                        for k in 0..<bins {
                            let re = spectrum[k].0, im = spectrum[k].1
                            row[k] = Float((re * re + im * im).squareRoot())
                        }
                    } else if p == 2 {
                        for k in 0..<bins {
                            let re = spectrum[k].0, im = spectrum[k].1
                            row[k] = Float(re * re + im * im)
                        }
                    } else {
                        for k in 0..<bins {
                            let re = spectrum[k].0, im = spectrum[k].1
                            row[k] = Float(pow(re * re + im * im, p / 2))
                        }
                    }
                }
            }
        }
    }

    /// `products` from the single-precision transform. `|X|²` is the float32 `re² + im²` (what a C
    /// program on fftwf computes; no float64 detour for a square root that power 2 undoes); other
    /// powers go through the float64 magnitude as in float64 mode.
    func products32(_ signal: UnsafeBufferPointer<Float>, _ products: [Product], buffers: FFTBuffers,
                    into outs: [UnsafeMutablePointer<Float>]) {
        let bins = binCount
        forEachFrame(signal, buffers: buffers) { t, buffers in
            let spectrum = buffers.output32!
            for (product, out) in zip(products, outs) {
                let row = out + t * bins
                switch product {
                case .magnitude(let power) where power == 2:
                    for k in 0..<bins {
                        let re = spectrum[k].0, im = spectrum[k].1
                        row[k] = re * re + im * im
                    }
                case .magnitude(let power):
                    for k in 0..<bins { row[k] = Self.hypot(spectrum[k].0, spectrum[k].1) }
                    if power != 1 { for k in 0..<bins { row[k] = powf(row[k], power) } }
                case .float64Magnitude(let power):
                    let p = Double(power)
                    for k in 0..<bins {
                        let re = Double(spectrum[k].0), im = Double(spectrum[k].1)
                        let squared = re * re + im * im
                        row[k] = Float(p == 2 ? squared : p == 1 ? squared.squareRoot() : pow(squared, p / 2))
                    }
                }
            }
        }
    }

    /// The parameters that decide every output bit: two STFTs with equal keys give equal spectra.
    public struct Key: Hashable, Sendable {
        public let nFFT: Int, hopLength: Int, winLength: Int
        public let window: WindowFunction
        public let center: Bool
        public let padMode: PadMode
        public let padTail: TailPadding
        public let sampleOffset: Double
        public let precision: FFTPrecision
    }

    /// `padTail` only matters for centred reflect padding; elsewhere both values give the same
    /// frames, so the key records `.slice` and such STFTs are shared.
    public var key: Key {
        Key(nFFT: nFFT, hopLength: hopLength, winLength: winLength, window: window, center: center, padMode: padMode,
            padTail: center && padMode == .reflect ? padTail : .slice, sampleOffset: sampleOffset, precision: precision)
    }

    /// `hypotf` as glibc computes it (since 2.35): the float64 root of the float64 sum of squares,
    /// rounded once to float32 — numpy's complex64 `abs` calls it. Written out so that it inlines and
    /// vectorises instead of costing a library call per bin.
    @inline(__always) static func hypot(_ x: Float, _ y: Float) -> Float {
        let dx = Double(x), dy = Double(y)
        return Float((dx * dx + dy * dy).squareRoot())
    }

    /// The complex STFT as float32 pairs, time-major `[T, nFFT/2+1]` (`re`, `im` written separately).
    public func complex(_ signal: UnsafeBufferPointer<Float>, buffers: FFTBuffers,
                        real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>) {
        let bins = binCount
        forEachFrame(signal, buffers: buffers) { t, buffers in
            if let spectrum = buffers.output32, precision == .float32 {
                for k in 0..<bins {
                    real[t * bins + k] = spectrum[k].0
                    imaginary[t * bins + k] = spectrum[k].1
                }
                return
            }
            for k in 0..<bins {
                let (re, im) = buffers.bin(k)
                real[t * bins + k] = Float(re)
                imaginary[t * bins + k] = Float(im)
            }
        }
    }
}
