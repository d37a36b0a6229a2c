import ConfigCoding
import DSP
import Foundation

/// Parameters of the CP-JKU log-mel front end (`kind: cpjku_mel`), `AugmentMelSTFT` of
/// fschmid56/cpjku_dcase23 `models/mel.py` in eval mode (features.md §7.3).
///
/// Keys are the reference's, snake_case; `hop_length` is the constructor's `hopsize` (also accepted
/// under that name). Defaults are those `run_training.py` passes, which DS-FlexiNet (seed 001, §III-B:
/// "32 kHz, 256-bin Mel spectrogram, 64 frames per 1-second file") matches: not the class's own
/// defaults (n_fft 1024, win 800, hop 320, 128 bands, fmax_aug_range 2000).
///
/// Training-time randomness is deliberately absent: the fmin/fmax jitter (`fmin_aug_range`, the
/// random part of `fmax_aug_range`), frequency masking (`freqm`) and time masking (`timem`) are drawn
/// anew for every batch, so they belong to a later Augment stage, not to stored features. Stored
/// features are what the network sees at evaluation. `fmax_aug_range` is kept because the eval `fmax`
/// default depends on it.
public struct CPJKUMelParameters: Codable, Equatable, Sendable {
    public var sr: Int = 32000
    public var nFFT: Int = 4096
    public var winLength: Int = 3072
    public var hopLength: Int = 500
    public var nMels: Int = 256
    /// Lower edge of the Kaldi bank in Hz.
    public var fmin: Double = 0
    /// Upper edge in Hz. nil is the reference's rule `sr // 2 - fmax_aug_range // 2` (15500 at 32 kHz):
    /// the training jitter `fmax + fmax_aug_range//2 - randint(fmax_aug_range)` then stays below
    /// Nyquist, and eval uses its centre. A value `<= 0` is an offset from Nyquist (Kaldi's convention).
    public var fmax: Double? = nil
    /// Only used to resolve `fmax: null` (see above); the jitter itself is an Augment-stage matter.
    public var fmaxAugRange: Int = 1000
    /// Pre-emphasis coefficient: `conv1d(x, [[-preemphasis, 1]])`, `y[n] = x[n+1] - preemphasis·x[n]`,
    /// a "valid" convolution, so the STFT sees one sample fewer (that is why 1 s gives 64 frames, not 65).
    public var preemphasis: Float = 0.97
    /// `torch.hann_window(win_length, periodic=False)`, zero-padded to n_fft centred: the symmetric Hann
    /// with torch's float32 roundings (`torch_hann_symmetric`). `hann_symmetric` (`np.hanning`) is the
    /// same function in float64 and moves quiet bands by up to 7e-5 (Goldens/ACCURACY.md).
    public var window: WindowFunction = .torchHannSymmetric
    public var center: Bool = true
    /// torch.stft's default pad mode.
    public var padMode: PadMode = .reflect
    /// 2 is the reference's `re² + im²` (float32); any other value is `|X|^power`.
    public var power: Float = 2
    /// `log(mel + log_offset)`, natural log.
    public var logOffset: Float = 1e-5
    /// The "fast normalisation" `(x + normalize_shift) / normalize_scale`.
    public var normalizeShift: Float = 4.5
    public var normalizeScale: Float = 5

    public init() {}

    /// The upper band edge actually used, in Hz (before Kaldi's `<= 0` offset rule).
    public var resolvedFmax: Double { fmax ?? Double(sr / 2 - fmaxAugRange / 2) }

    enum CodingKeys: String, CodingKey {
        case sr, nFFT = "n_fft", winLength = "win_length", hopLength = "hop_length", hopsize, nMels = "n_mels"
        case fmin, fmax, fmaxAugRange = "fmax_aug_range", preemphasis, window, center, padMode = "pad_mode", power
        case logOffset = "log_offset", normalizeShift = "normalize_shift", normalizeScale = "normalize_scale"
    }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try f.decode("sr", \.sr)
        try f.decode("n_fft", \.nFFT)
        try f.decode("win_length", \.winLength)
        if f.contains("hop_length") && f.contains("hopsize") {
            throw f.invalid("hopsize", "give hop_length or its reference name hopsize, not both")
        }
        try f.decode("hop_length", \.hopLength)
        try f.decode("hopsize", \.hopLength)
        try f.decode("n_mels", \.nMels)
        try f.decode("fmin", \.fmin)
        try f.decode("fmax", \.fmax)
        try f.decode("fmax_aug_range", \.fmaxAugRange)
        try f.decode("preemphasis", \.preemphasis)
        try f.decode("window", \.window)
        try f.decode("center", \.center)
        try f.decode("pad_mode", \.padMode)
        try f.decode("power", \.power)
        try f.decode("log_offset", \.logOffset)
        try f.decode("normalize_shift", \.normalizeShift)
        try f.decode("normalize_scale", \.normalizeScale)
    }

    /// Every parameter is written, defaults and the resolved `fmax` included, so the manifest says
    /// exactly what ran.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sr, forKey: .sr)
        try c.encode(nFFT, forKey: .nFFT)
        try c.encode(winLength, forKey: .winLength)
        try c.encode(hopLength, forKey: .hopLength)
        try c.encode(nMels, forKey: .nMels)
        try c.encode(fmin, forKey: .fmin)
        try c.encode(resolvedFmax, forKey: .fmax)
        try c.encode(fmaxAugRange, forKey: .fmaxAugRange)
        try c.encode(preemphasis, forKey: .preemphasis)
        try c.encode(window, forKey: .window)
        try c.encode(center, forKey: .center)
        try c.encode(padMode, forKey: .padMode)
        try c.encode(power, forKey: .power)
        try c.encode(logOffset, forKey: .logOffset)
        try c.encode(normalizeShift, forKey: .normalizeShift)
        try c.encode(normalizeScale, forKey: .normalizeScale)
    }
}

/// The CP-JKU log-mel front end (DS-FlexiNet's input), `AugmentMelSTFT.forward` in eval mode,
/// stored time-major `[C, T, n_mels]` (the reference returns `[B, n_mels, T]`; channels are its batch):
///
/// 1. pre-emphasis `y[n] = x[n+1] - 0.97 x[n]` (float32, `n-1` samples);
/// 2. `torch.stft(n_fft 4096, hop 500, win 3072, symmetric Hann (torch's float32), center, reflect)`;
/// 3. power `re² + im²`;
/// 4. Kaldi mel bank (`KaldiMelFilterbank`, zero Nyquist column), one sgemm per channel;
/// 5. `(ln(mel + 1e-5) + 4.5) / 5`.
///
/// `T = 1 + (n - 1) / hop`: 64 frames for 1 s at 32 kHz. The STFT runs in float64 and is rounded to
/// complex64 (the exact DFT of the float32 frame; torch's float32 FFT scatters around it, see
/// Goldens/ACCURACY.md), everything after it in float32 as the reference does.
public struct CPJKUMel: FeatureExtractor {
    public let name: String
    public let parameters: CPJKUMelParameters
    public let stft: STFT
    /// nil when the parameters are refused; `configurationError` says why.
    public let filterbank: KaldiMelFilterbank?
    /// Why these parameters cannot run. `FeatureSpec.makeExtractor` cannot throw, so every `extract`
    /// throws this instead.
    public let configurationError: FeatureError?

    public init(name: String = "cpjku_mel", parameters: CPJKUMelParameters = CPJKUMelParameters()) {
        self.name = name
        self.parameters = parameters
        var problem: String? = nil
        if parameters.winLength < 1 || parameters.winLength > parameters.nFFT {
            problem = "win_length \(parameters.winLength) must be in 1...n_fft (\(parameters.nFFT))"
        } else if parameters.hopLength < 1 {
            problem = "hop_length must be positive, got \(parameters.hopLength)"
        } else if parameters.normalizeScale == 0 {
            problem = "normalize_scale must not be 0"
        }
        // A valid STFT even when refused, so that shapes can still be asked for. torch.stft pads the
        // whole signal (never librosa 0.11's tail slice, `TailPadding`): this front end is torch's.
        let nFFT = max(parameters.nFFT, 1)
        stft = STFT(nFFT: nFFT, hopLength: max(parameters.hopLength, 1),
                    winLength: min(max(parameters.winLength, 1), nFFT),
                    window: parameters.window, center: parameters.center, padMode: parameters.padMode, padTail: .whole)
        var bank: KaldiMelFilterbank? = nil
        if problem == nil {
            do {
                bank = try KaldiMelFilterbank(numBins: parameters.nMels, windowLengthPadded: parameters.nFFT,
                                              sampleFreq: Double(parameters.sr), lowFreq: parameters.fmin,
                                              highFreq: parameters.resolvedFmax)
            } catch {
                problem = "\(error)"
            }
        }
        filterbank = bank
        configurationError = problem.map { FeatureError("cpjku_mel \(name): \($0)") }
    }

    public var sampleRate: Int { parameters.sr }

    /// Frames of a clip of `sampleCount` samples: the STFT's count for the pre-emphasised `n - 1`.
    public func frameCount(sampleCount n: Int) -> Int {
        stft.frameCount(sampleCount: max(n - 1, 0))
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [channelCount, frameCount(sampleCount: sampleCount), parameters.nMels]
    }

    public func makeWorker() -> any FeatureWorker { CPJKUMelWorker(self) }
}

/// Per-thread scratch of `CPJKUMel`: FFT buffers, the pre-emphasised signal and the power
/// spectrogram, each grown once to the longest clip seen and then reused (nothing per frame).
final class CPJKUMelWorker: FeatureWorker {
    let extractor: CPJKUMel
    let buffers: FFTBuffers
    var emphasised: [Float] = []
    var spectrum: [Float] = []

    init(_ extractor: CPJKUMel) {
        self.extractor = extractor
        buffers = extractor.stft.makeBuffers()
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        if let error = extractor.configurationError { throw error }
        guard let bank = extractor.filterbank else { throw FeatureError("cpjku_mel: no filterbank") }
        let p = extractor.parameters
        let n = channels.first?.count ?? 0
        guard channels.allSatisfy({ $0.count == n }) else { throw FeatureError("cpjku_mel: channels differ in length") }
        guard n >= 2 else { throw FeatureError("cpjku_mel: a clip of \(n) samples has nothing left after pre-emphasis") }
        let m = n - 1
        // torch's reflect padding needs the pad to be shorter than the signal; numpy's would repeat
        // the reflection instead. Refuse rather than invent values the reference never produces.
        if p.center && p.padMode == .reflect && m <= p.nFFT / 2 {
            throw FeatureError("cpjku_mel: \(n) samples are too short for reflect padding of \(p.nFFT / 2) (torch.stft refuses it)")
        }
        let frames = extractor.stft.frameCount(sampleCount: m)
        guard frames > 0 else { throw FeatureError("cpjku_mel: clip of \(n) samples is shorter than one frame") }
        let bins = extractor.stft.binCount
        let mels = p.nMels
        let perChannel = frames * mels
        if emphasised.count < m { emphasised = [Float](repeating: 0, count: m) }
        if spectrum.count < frames * bins { spectrum = [Float](repeating: 0, count: frames * bins) }
        var out = [Float](repeating: 0, count: channels.count * perChannel)
        let coefficient = -p.preemphasis
        let power = p.power
        out.withUnsafeMutableBufferPointer { outBuffer in
            emphasised.withUnsafeMutableBufferPointer { y in
                spectrum.withUnsafeMutableBufferPointer { spec in
                    for (c, channel) in channels.enumerated() {
                        channel.withUnsafeBufferPointer { x in
                            // conv1d weight [-0.97, 1]: float32 product, then float32 sum.
                            for i in 0..<m { y[i] = coefficient * x[i] + x[i + 1] }
                        }
                        Self.powerSpectrogram(extractor.stft, UnsafeBufferPointer(rebasing: y[0..<m]), power: power,
                                              buffers: buffers, into: spec.baseAddress!)
                        bank.apply(spec.baseAddress!, frames: frames, into: outBuffer.baseAddress! + c * perChannel)
                    }
                }
            }
            let offset = p.logOffset, shift = p.normalizeShift, scale = p.normalizeScale
            for i in 0..<outBuffer.count {
                outBuffer[i] = (logf(outBuffer[i] + offset) + shift) / scale
            }
        }
        return FeatureTensor(shape: [channels.count, frames, mels], values: out)
    }

    /// `[T, bins]` power spectrogram. Power 2 is `(x ** 2).sum(-1)` on torch's real/imaginary pairs:
    /// float32 squares of the complex64 values and a float32 sum, not the square of a rounded
    /// magnitude (`STFT.magnitude`), which rounds differently.
    static func powerSpectrogram(_ stft: STFT, _ signal: UnsafeBufferPointer<Float>, power: Float,
                                 buffers: FFTBuffers, into out: UnsafeMutablePointer<Float>) {
        let bins = stft.binCount
        stft.forEachFrame(signal, buffers: buffers) { t, buffers in
            let row = out + t * bins
            let spectrum = buffers.output
            if power == 2 {
                for k in 0..<bins {
                    let re = Float(spectrum[k].0), im = Float(spectrum[k].1)
                    row[k] = re * re + im * im
                }
            } else {
                for k in 0..<bins {
                    let re = Float(spectrum[k].0), im = Float(spectrum[k].1)
                    row[k] = powf((re * re + im * im).squareRoot(), power)
                }
            }
        }
    }
}
