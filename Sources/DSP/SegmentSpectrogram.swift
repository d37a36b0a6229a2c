import CFFTW
import Foundation

/// `scipy.signal.spectrogram(x, fs, window, nperseg, noverlap, nfft, detrend=False,
/// scaling=..., mode='magnitude')`: start-aligned framing, as opposed to librosa's centred `STFT`.
///
/// Segment `t` is `x[t·step ..< t·step + nperseg]` with `step = nperseg - noverlap` and no padding,
/// so `T = 1 + (n - nperseg)/step`; it is multiplied by the window and zero-padded **at the end** to
/// `nfft`. `scaling` multiplies the magnitude by `sqrt(1/(fs·Σw²))` ('density') or `1/Σw`
/// ('spectrum'); mode 'magnitude' does not double the one-sided bins. SPSMR's gammatonegram frames
/// this way (features.md §2.4). The FFT runs in float64 on the shared FFTW plan.
public struct SegmentSpectrogram: Sendable {
    public enum Scaling: String, Codable, Sendable {
        case density
        case spectrum
    }

    public let nperseg: Int
    public let noverlap: Int
    public let nfft: Int
    public let scaling: Scaling
    let windowValues: [Double]
    let plan: RealFFTPlan

    public init(sampleRate fs: Double, window: WindowFunction = .hann, nperseg: Int, noverlap: Int? = nil,
                nfft: Int? = nil, scaling: Scaling = .density) {
        let nfft = nfft ?? nperseg
        precondition(nfft >= nperseg, "nfft \(nfft) must be >= nperseg \(nperseg)")
        self.nperseg = nperseg
        self.noverlap = noverlap ?? nperseg / 8
        self.nfft = nfft
        self.scaling = scaling
        let w = window.values(length: nperseg)
        let factor: Double
        switch scaling {
        case .density: factor = (1 / (fs * w.reduce(0) { $0 + $1 * $1 })).squareRoot()
        case .spectrum: factor = 1 / w.reduce(0, +)
        }
        // The scaling is folded into the window: the transform is linear.
        windowValues = w.map { $0 * factor }
        plan = FFTPlanCache.plan(size: nfft)
    }

    public var step: Int { nperseg - noverlap }
    public var binCount: Int { nfft / 2 + 1 }

    public func frameCount(sampleCount n: Int) -> Int {
        n < nperseg ? 0 : 1 + (n - nperseg) / step
    }

    public func makeBuffers() -> FFTBuffers { FFTBuffers(size: nfft) }

    /// `|S|^power` as float32, time-major `[T, nfft/2+1]`.
    public func magnitude(_ signal: UnsafeBufferPointer<Float>, power: Float = 1, buffers: FFTBuffers,
                          into out: UnsafeMutablePointer<Float>) {
        let frames = frameCount(sampleCount: signal.count)
        let bins = binCount
        let input = buffers.input
        // The zero tail is written once; only the first `nperseg` values change per segment.
        for k in nperseg..<nfft { input[k] = 0 }
        windowValues.withUnsafeBufferPointer { w in
            for t in 0..<frames {
                let start = t * step
                for k in 0..<nperseg { input[k] = w[k] * Double(signal[start + k]) }
                plan.execute(buffers)
                let row = out + t * bins
                for k in 0..<bins {
                    let (re, im) = buffers.bin(k)
                    let m = (re * re + im * im).squareRoot()
                    row[k] = power == 1 ? Float(m) : (power == 2 ? Float(m * m) : Float(pow(m, Double(power))))
                }
            }
        }
    }
}
