import ConfigCoding
import DSP
import Foundation

/// Log-mel spectrogram, `librosa.power_to_db(librosa.feature.melspectrogram(...))` by default
/// (features.md §1.2-1.5), stored time-major `[C, T, n_mels]`.
///
/// Parameter names and defaults are librosa's. The options a recipe may need beyond librosa's
/// defaults are explicit: `pad_mode: reflect` and `mel_scale: htk`, `norm: none`, `log: none` give
/// torchaudio's STgram-MFN Sgram conventions; `max_frames` crops to the paper's 500 frames.
///
/// `precision` is the STFT's: `float64` (the default, librosa's float64 rfft rounded to complex64)
/// or `float32` (FFTW's single-precision transform, about twice as fast; its error against every
/// golden is in ACCURACY.md). The default stays float64 so that a recorded configuration without the
/// key (every store written before it existed) still says what ran.
///
/// `pad_tail` (with `pad_mode: reflect`) chooses how the end is padded: `slice` (default) as the
/// pinned librosa 0.11, which pads only a tail slice and so changes the last frame when
/// hop ≥ n_fft/2 and the length is a multiple of hop; `whole` pads the whole signal, as torch.stft /
/// torchaudio / nnAudio and librosa ≤ 0.9 do (`TailPadding`, features.md §1.2).
public struct LogMelParameters: Codable, Equatable, Sendable {
    /// How mel power becomes the stored value.
    public enum LogKind: String, Codable, Sendable {
        /// `librosa.power_to_db` with `db` (default ref 1, amin 1e-10, top_db 80).
        case db
        /// `10·log10(max(x, amin))` with no top_db floor (torchaudio `AmplitudeToDB(stype='power')`).
        case dbNoClip = "db_no_clip"
        /// Mel power, no log.
        case none
    }

    /// Over what the `top_db` floor's maximum is taken for multichannel clips.
    public enum DBScope: String, Codable, Sendable {
        /// One maximum over all channels, as `power_to_db` on a `[C, M, T]` array.
        case clip
        /// Each channel separately, as the DCASE SELD baselines do.
        case channel
    }

    public var sr: Int = 22050
    public var nFFT: Int = 2048
    public var hopLength: Int = 512
    public var winLength: Int? = nil
    public var window: WindowFunction = .hann
    public var center: Bool = true
    public var padMode: PadMode = .constant
    /// How reflect padding treats the end: librosa 0.11's tail slice or the whole signal (`TailPadding`).
    public var padTail: TailPadding = .slice
    public var power: Float = 2.0
    public var nMels: Int = 128
    public var fmin: Double = 0
    public var fmax: Double? = nil
    public var melScale: MelScale = .slaney
    public var norm: MelNorm = .slaney
    public var log: LogKind = .db
    public var db: PowerToDB = PowerToDB()
    public var dbScope: DBScope = .clip
    /// Keep at most this many frames (the first ones); nil keeps librosa's `1 + n/hop`.
    public var maxFrames: Int? = nil
    /// The STFT's arithmetic (`FFTPrecision`).
    public var precision: FFTPrecision = .float64

    public init() {}

    enum CodingKeys: String, CodingKey {
        case sr, nFFT = "n_fft", hopLength = "hop_length", winLength = "win_length", window, center
        case padMode = "pad_mode", power, nMels = "n_mels", fmin, fmax, melScale = "mel_scale", norm, log, db
        case dbScope = "db_scope", maxFrames = "max_frames", padTail = "pad_tail", precision
    }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try decodeFields(&f, melNormKey: "norm")
    }

    /// Reads the log-mel keys, with the mel filter norm under `melNormKey`: MFCC specs are flattened
    /// and follow librosa's `mfcc`, where `norm` is the DCT's and the mel norm is `mel_norm`.
    static func decodeFields<Owner>(_ f: inout ConfigFields<Owner>, into path: WritableKeyPath<Owner, Self>,
                                    melNormKey: String) throws {
        try f.flattened(path) { try decodeFields(&$0, melNormKey: melNormKey) }
    }

    static func decodeFields(_ f: inout ConfigFields<Self>, melNormKey: String) throws {
        try f.decode("sr", \.sr)
        try f.decode("n_fft", \.nFFT)
        try f.decode("hop_length", \.hopLength)
        try f.decode("win_length", \.winLength)
        try f.decode("window", \.window)
        try f.decode("center", \.center)
        try f.decode("pad_mode", \.padMode)
        try f.decode("pad_tail", \.padTail)
        try f.decode("power", \.power)
        try f.decode("n_mels", \.nMels)
        try f.decode("fmin", \.fmin)
        try f.decode("fmax", \.fmax)
        try f.decode("mel_scale", \.melScale)
        // librosa's `norm=None` (no normalisation) is `null` here; an absent key keeps 'slaney'.
        try f.decode(melNormKey, \.norm, ifNull: .none)
        try f.decode("log", \.log)
        try f.decode("db", \.db)
        try f.decode("db_scope", \.dbScope)
        try f.decode("max_frames", \.maxFrames)
        try f.decode("precision", \.precision)
    }

    /// Every parameter is written, defaults included, so the manifest says exactly what ran.
    public func encode(to encoder: Encoder) throws {
        try encode(to: encoder, melNormKey: "norm")
    }

    func encode(to encoder: Encoder, melNormKey: String) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sr, forKey: .sr)
        try c.encode(nFFT, forKey: .nFFT)
        try c.encode(hopLength, forKey: .hopLength)
        try c.encode(winLength ?? nFFT, forKey: .winLength)
        try c.encode(window, forKey: .window)
        try c.encode(center, forKey: .center)
        try c.encode(padMode, forKey: .padMode)
        try c.encode(padTail, forKey: .padTail)
        try c.encode(power, forKey: .power)
        try c.encode(nMels, forKey: .nMels)
        try c.encode(fmin, forKey: .fmin)
        try c.encode(fmax ?? Double(sr) / 2, forKey: .fmax)
        try c.encode(melScale, forKey: .melScale)
        var named = encoder.container(keyedBy: AnyCodingKey.self)
        try named.encode(norm, forKey: AnyCodingKey(melNormKey))
        try c.encode(log, forKey: .log)
        try c.encode(db, forKey: .db)
        try c.encode(dbScope, forKey: .dbScope)
        if let maxFrames { try c.encode(maxFrames, forKey: .maxFrames) } else { try c.encodeNil(forKey: .maxFrames) }
        // Written only when it is not the default: a store made before the key existed ran float64
        // and keeps its config hash (so it still resumes); float32 is always recorded.
        if precision != .float64 { try c.encode(precision, forKey: .precision) }
    }
}

/// A coding key chosen at run time (for keys that are named differently by different kinds).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The log-mel extractor: one STFT plan and one filterbank, shared by all workers.
public struct LogMel: FeatureExtractor {
    public let name: String
    public let parameters: LogMelParameters
    public let stft: STFT
    public let filterbank: MelFilterbank

    public init(name: String = "logmel", parameters: LogMelParameters) {
        self.name = name
        self.parameters = parameters
        stft = STFT(nFFT: parameters.nFFT, hopLength: parameters.hopLength, winLength: parameters.winLength,
                    window: parameters.window, center: parameters.center, padMode: parameters.padMode,
                    padTail: parameters.padTail, precision: parameters.precision)
        filterbank = MelFilterbank(sampleRate: Double(parameters.sr), nFFT: parameters.nFFT, nMels: parameters.nMels,
                                   fmin: parameters.fmin, fmax: parameters.fmax,
                                   scale: parameters.melScale, norm: parameters.norm)
    }

    public var sampleRate: Int { parameters.sr }

    public func frameCount(sampleCount: Int) -> Int {
        let frames = stft.frameCount(sampleCount: sampleCount)
        return parameters.maxFrames.map { min($0, frames) } ?? frames
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [channelCount, frameCount(sampleCount: sampleCount), parameters.nMels]
    }

    public func makeWorker() -> any FeatureWorker { LogMelWorker(self) }
}

/// Per-thread scratch of `LogMel`: FFT buffers and one spectrogram buffer, grown once to the
/// longest clip seen and then reused.
final class LogMelWorker: FeatureWorker {
    let extractor: LogMel
    let buffers: FFTBuffers
    var spectrum: [Float] = []

    init(_ extractor: LogMel) {
        self.extractor = extractor
        buffers = extractor.stft.makeBuffers()
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        let p = extractor.parameters
        let n = channels.first?.count ?? 0
        let allFrames = extractor.stft.frameCount(sampleCount: n)
        guard allFrames > 0 else {
            throw FeatureError("clip of \(n) samples is shorter than one frame (n_fft \(p.nFFT), center=false)")
        }
        let bins = extractor.stft.binCount
        let mels = p.nMels
        let perChannel = allFrames * mels
        if spectrum.count < allFrames * bins { spectrum = [Float](repeating: 0, count: allFrames * bins) }
        var out = [Float](repeating: 0, count: channels.count * perChannel)
        out.withUnsafeMutableBufferPointer { outBuffer in
            spectrum.withUnsafeMutableBufferPointer { spec in
                for (c, channel) in channels.enumerated() {
                    channel.withUnsafeBufferPointer { signal in
                        extractor.stft.magnitude(signal, power: p.power, buffers: buffers, into: spec.baseAddress!)
                    }
                    extractor.filterbank.apply(spec.baseAddress!, frames: allFrames,
                                               into: outBuffer.baseAddress! + c * perChannel)
                }
            }
            applyLog(outBuffer, channelCount: channels.count, perChannel: perChannel)
        }
        // `max_frames` crops after the dB conversion, as the reference recipes do, so the top_db
        // floor still sees every frame.
        let frames = extractor.frameCount(sampleCount: n)
        out = LogMel.crop(out, channelCount: channels.count, allFrames: allFrames, frames: frames, mels: mels)
        return FeatureTensor(shape: [channels.count, frames, mels], values: out)
    }

    func applyLog(_ values: UnsafeMutableBufferPointer<Float>, channelCount: Int, perChannel: Int) {
        LogMel.applyLog(extractor.parameters, values, channelCount: channelCount, perChannel: perChannel)
    }
}

extension LogMel {
    /// The configured log (`log`, `db`, `db_scope`) of `p`, in place on `[C, T, n_mels]` mel power.
    static func applyLog(_ p: LogMelParameters, _ values: UnsafeMutableBufferPointer<Float>, channelCount: Int, perChannel: Int) {
        switch p.log {
        case .none:
            return
        case .dbNoClip:
            var db = p.db
            db.topDB = nil
            db.apply(values)
        case .db:
            switch p.dbScope {
            case .clip:
                p.db.apply(values)
            case .channel:
                for c in 0..<channelCount {
                    p.db.apply(UnsafeMutableBufferPointer(rebasing: values[(c * perChannel)..<((c + 1) * perChannel)]))
                }
            }
        }
    }

    /// The first `frames` frames of each channel of `[C, allFrames, M]` (`max_frames`, after the log).
    static func crop(_ values: [Float], channelCount: Int, allFrames: Int, frames: Int, mels: Int) -> [Float] {
        guard frames < allFrames else { return values }
        let perChannel = allFrames * mels
        var cropped = [Float]()
        cropped.reserveCapacity(channelCount * frames * mels)
        for c in 0..<channelCount {
            cropped.append(contentsOf: values[(c * perChannel)..<(c * perChannel + frames * mels)])
        }
        return cropped
    }
}
