import DSP
import Foundation

/// The device impulse responses DIR and ADIR draw from (66 MicIRP files in CP-JKU), in sorted-path
/// order as `load_dirs` sorts them, each at the model's sample rate, mono, as float.
///
/// The responses' spectra are computed once per FFT size (the first clip of a length asks for them)
/// and shared read-only by every worker: the convolution of a clip is then one forward FFT, one
/// product and one inverse FFT.
public final class ImpulseResponseBank: @unchecked Sendable {
    public struct Response: Sendable, Equatable {
        /// The file's path relative to the bank folder (its index in the bank is its sorted position).
        public let name: String
        public let samples: [Float]
        public init(name: String, samples: [Float]) {
            self.name = name
            self.samples = samples
        }
    }

    public let responses: [Response]
    public let sampleRate: Int
    public var count: Int { responses.count }
    public var longest: Int { responses.map(\.samples.count).max() ?? 0 }

    /// Longest response accepted: 2 s (MicIRP's are 0.37–0.5 s; a long file is a room response or a mistake).
    public static let defaultMaxSeconds = 2.0

    private let lock = NSLock()
    private var spectra: [Int: [[Double]]] = [:]

    /// Checks every response (naming the file) and keeps them in the given (sorted-path) order.
    public init(responses: [Response], sampleRate: Int, maxSeconds: Double = ImpulseResponseBank.defaultMaxSeconds) throws {
        guard !responses.isEmpty else { throw AugmentError("the impulse-response bank is empty: no audio file found") }
        for r in responses {
            try ImpulseResponseBank.check(r.samples, name: r.name, sampleRate: sampleRate, maxSeconds: maxSeconds)
        }
        self.responses = responses
        self.sampleRate = sampleRate
    }

    /// Why one response cannot be used (empty, silent, NaN/inf, longer than `maxSeconds`), naming the file.
    public static func check(_ samples: [Float], name: String, sampleRate: Int, maxSeconds: Double = defaultMaxSeconds) throws {
        guard !samples.isEmpty else { throw AugmentError("impulse response \(name): no samples") }
        guard samples.allSatisfy(\.isFinite) else { throw AugmentError("impulse response \(name): NaN or infinite samples") }
        guard samples.contains(where: { $0 != 0 }) else { throw AugmentError("impulse response \(name): silent (every sample is 0)") }
        let limit = Int(maxSeconds * Double(sampleRate))
        guard samples.count <= limit else {
            throw AugmentError("impulse response \(name): \(samples.count) samples at \(sampleRate) Hz is longer than \(maxSeconds) s")
        }
    }

    /// The FFT size used for a clip of `n` samples: ≥ n + longest - 1, a 2·3·5-smooth number.
    public func fftSize(forClipLength n: Int) -> Int {
        FFTConvolution.fastSize(atLeast: n + longest - 1)
    }

    /// Every response's spectrum at `size`, computed on first use.
    public func spectra(size: Int) -> [[Double]] {
        lock.lock()
        defer { lock.unlock() }
        if let s = spectra[size] { return s }
        let plan = FFTConvolution.plan(size: size)
        let s = responses.map { r in r.samples.withUnsafeBufferPointer { plan.spectrum(of: $0) } }
        spectra[size] = s
        return s
    }

    /// `scipy.signal.convolve(x, h, 'full')[:len(x)]` for every channel of `channels`, h = response `index`.
    public func convolve(_ channels: inout [[Float]], with index: Int) {
        guard let n = channels.first?.count, n > 0 else { return }
        let size = fftSize(forClipLength: n)
        let plan = FFTConvolution.plan(size: size)
        let spectrum = spectra(size: size)[index]
        let buffers = FFTBuffers(size: size)
        spectrum.withUnsafeBufferPointer { h in
            for c in channels.indices {
                channels[c].withUnsafeMutableBufferPointer { plan.convolveTruncated($0, responseSpectrum: h, buffers: buffers) }
            }
        }
    }
}
