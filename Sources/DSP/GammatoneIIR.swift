import Foundation

/// Slaney's IIR gammatone filterbank with `gtgram`'s rectangular RMS framing (features.md §2.2).
///
/// Each channel is the `GammatoneFilter` cascade run in float64 as `scipy.signal.lfilter` runs it
/// (transposed direct form II, zero initial state), divided by its gain and squared; column `t` is
/// `sqrt(mean(xe[t·hop ..< t·hop + nwin]))`, with no padding, so `T = 1 + (n - nwin)/hop`.
/// This is the reference the FFT weights approximate; it costs about 4 biquads × bands × samples,
/// hence an option, not the default.
public struct GammatoneIIRFilterbank: Sendable {
    public let filters: [GammatoneFilter]
    public let windowLength: Int
    public let hopLength: Int

    /// - Parameters: as `gtgram(wave, fs, window_time, hop_time, channels, f_min, f_max)` but with
    ///   the window and hop already in samples (`round_half_away_from_zero(time·fs)`).
    public init(sampleRate fs: Double, nfilts: Int, fmin: Double, fmax: Double? = nil,
                windowLength: Int, hopLength: Int) {
        filters = ERBScale.centreFrequencies(count: nfilts, fmin: fmin, fmax: fmax ?? fs / 2)
            .map { GammatoneFilter(sampleRate: fs, centreFrequency: $0) }
        self.windowLength = windowLength
        self.hopLength = hopLength
    }

    public func frameCount(sampleCount n: Int) -> Int {
        n < windowLength ? 0 : 1 + (n - windowLength) / hopLength
    }

    /// Writes `[T, nfilts]` into `out`. `energy` is the caller's scratch of at least `signal.count`
    /// doubles (one band's squared output at a time), reused across clips.
    public func apply(_ signal: UnsafeBufferPointer<Float>, scale: Double = 1,
                      energy: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Float>) {
        let n = signal.count
        let frames = frameCount(sampleCount: n)
        let bands = filters.count
        for (band, f) in filters.enumerated() {
            let b0 = f.a0, b2 = f.a2, a1 = f.b1, a2 = f.b2
            let c = f.a1Array
            let c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3]
            // Two state variables per section.
            var s00 = 0.0, s01 = 0.0, s10 = 0.0, s11 = 0.0, s20 = 0.0, s21 = 0.0, s30 = 0.0, s31 = 0.0
            let outScale = scale / f.gain
            for i in 0..<n {
                let x = Double(signal[i])
                let y0 = b0 * x + s00
                s00 = c0 * x - a1 * y0 + s01
                s01 = b2 * x - a2 * y0
                let y1 = b0 * y0 + s10
                s10 = c1 * y0 - a1 * y1 + s11
                s11 = b2 * y0 - a2 * y1
                let y2 = b0 * y1 + s20
                s20 = c2 * y1 - a1 * y2 + s21
                s21 = b2 * y1 - a2 * y2
                let y3 = b0 * y2 + s30
                s30 = c3 * y2 - a1 * y3 + s31
                s31 = b2 * y2 - a2 * y3
                let y = y3 * outScale
                energy[i] = y * y
            }
            for t in 0..<frames {
                var sum = 0.0
                let start = t * hopLength
                for i in start..<(start + windowLength) { sum += energy[i] }
                out[t * bands + band] = Float((sum / Double(windowLength)).squareRoot())
            }
        }
    }
}
