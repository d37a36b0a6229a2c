import ConfigCoding
import DSP
import Foundation

/// Parameters of the FOA SELD input (`kind: foa`): 4 log-mel channels and 3 mel-mapped intensity
/// vector channels of first-order Ambisonics, as the DCASE SELD baselines' `cls_feature_class.py`
/// computes them (features.md §3), with FFMamba's STFT (seed 003, §3.3) as defaults.
///
/// Names are librosa's, since the baseline passes its settings straight to `librosa.stft` and
/// `librosa.filters.mel`: the baseline's own `hop_len_s = 0.02, nb_mel_bins = 64` at 24 kHz are
/// `hop_length: 480, win_length: 960, n_fft: 1024, n_mels: 64` here.
public struct FOAParameters: Codable, Equatable, Sendable {
    /// Which baseline's intensity vector and frame count.
    public enum Convention: String, Codable, Sendable {
        /// seld-dcase2022 (§3.1): IV channels in file order (Y, Z, X),
        /// `E = eps + |W|² + (|Y|²+|Z|²+|X|²)/3`, `T = n/hop` (the last centred frame dropped).
        case dcase2022
        /// seld-dcase2021 (§3.2): IV channels (X, Y, Z), `E = eps + (|W|²+|Y|²+|Z|²+|X|²)/2`,
        /// `T = ceil(n/hop)`. (The 2021 script first pads every file to 60 s with `rand()·1e-8`
        /// noise; that padding is a dataset step, not reproduced here.)
        case dcase2021
    }

    /// How mel power becomes the 4 log-mel channels.
    public enum LogKind: String, Codable, Sendable {
        /// `librosa.power_to_db` per channel (`db`: ref 1, amin 1e-10, top_db 80 by default), as the baselines.
        case db
        /// `ln(mel + log_eps)`, one reading of FFMamba's "log(mel + eps)".
        case ln
    }

    public var sr: Int = 24000
    public var nFFT: Int = 512
    public var hopLength: Int = 300
    public var winLength: Int? = nil
    public var window: WindowFunction = .hann
    /// The baselines leave librosa's default: 'constant' for librosa >= 0.9, 'reflect' for <= 0.8.
    public var padMode: PadMode = .constant
    /// How reflect padding treats the end (`TailPadding`): librosa 0.11's tail slice by default, as the
    /// goldens; `whole` for the whole-signal padding of librosa ≤ 0.8, which the reflect-era 2021 baseline ran.
    public var padTail: TailPadding = .slice
    public var nMels: Int = 128
    public var fmin: Double = 0
    public var fmax: Double? = nil
    public var convention: Convention = .dcase2022
    /// Keep all `1 + n/hop` centred frames instead of the baseline's count.
    public var keepAllFrames: Bool = false
    public var log: LogKind = .db
    public var db: PowerToDB = PowerToDB()
    public var logEps: Double = 1e-10
    /// The baselines' `self._eps` in the IV energy normaliser.
    public var eps: Double = 1e-8
    /// Added to every sample before the STFT, in float64: both baselines' `_load_audio` read
    /// `audio / 32768.0 + self._eps` (2021 and 2022 alike). On a quiet clip (-72 dBFS) leaving it out
    /// moves the log-mel by ~0.1 dB and the IV by ~1e-4 (features.md §3.1). 0 gives the clean signal.
    public var sampleEps: Double = 1e-8

    public init() {}

    enum CodingKeys: String, CodingKey {
        case sr, nFFT = "n_fft", hopLength = "hop_length", winLength = "win_length", window, padMode = "pad_mode"
        case nMels = "n_mels", fmin, fmax, convention, keepAllFrames = "keep_all_frames", log, db
        case logEps = "log_eps", eps, padTail = "pad_tail", sampleEps = "sample_eps"
    }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try f.decode("sr", \.sr)
        try f.decode("n_fft", \.nFFT)
        try f.decode("hop_length", \.hopLength)
        try f.decode("win_length", \.winLength)
        try f.decode("window", \.window)
        try f.decode("pad_mode", \.padMode)
        try f.decode("pad_tail", \.padTail)
        try f.decode("n_mels", \.nMels)
        try f.decode("fmin", \.fmin)
        try f.decode("fmax", \.fmax)
        try f.decode("convention", \.convention)
        try f.decode("keep_all_frames", \.keepAllFrames)
        try f.decode("log", \.log)
        try f.decode("db", \.db)
        try f.decode("log_eps", \.logEps)
        try f.decode("eps", \.eps)
        try f.decode("sample_eps", \.sampleEps)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sr, forKey: .sr)
        try c.encode(nFFT, forKey: .nFFT)
        try c.encode(hopLength, forKey: .hopLength)
        try c.encode(winLength ?? nFFT, forKey: .winLength)
        try c.encode(window, forKey: .window)
        try c.encode(padMode, forKey: .padMode)
        try c.encode(padTail, forKey: .padTail)
        try c.encode(nMels, forKey: .nMels)
        try c.encode(fmin, forKey: .fmin)
        try c.encode(fmax ?? Double(sr) / 2, forKey: .fmax)
        try c.encode(convention, forKey: .convention)
        try c.encode(keepAllFrames, forKey: .keepAllFrames)
        try c.encode(log, forKey: .log)
        try c.encode(db, forKey: .db)
        try c.encode(logEps, forKey: .logEps)
        try c.encode(eps, forKey: .eps)
        try c.encode(sampleEps, forKey: .sampleEps)
    }
}

/// FOA log-mel + intensity vectors, `[7, T, n_mels]` from 4 channels in DCASE's ACN order
/// (W, Y, Z, X, SN3D): channels `[mel W, mel Y, mel Z, mel X, IV…]`, the IV order following the
/// convention ((Y, Z, X) in 2022, (X, Y, Z) in 2021) as the baselines' data generators reshape it.
///
/// Per bin, `I = Re(W̄·[Y, Z, X])` normalised by the energy `E`; the 4 power spectra and the 3
/// normalised IVs are laid out as one `[7·T, bins]` matrix so one pass of sgemms with the Slaney
/// mel weights (grouped over their non-zero bins, `BandedFilterbank`) maps all seven channels (the baseline uses the same float32 mel weights on the
/// linear IV). The standardisation the baselines fit over the training set (StandardScaler) is a
/// dataset statistic, not part of the per-clip feature.
public struct FOAFeatures: FeatureExtractor {
    public let name: String
    public let parameters: FOAParameters
    public let stft: STFT
    public let filterbank: MelFilterbank
    /// The same weights applied group-wise over their non-zero bins (the mel bank is ~95 % zeros).
    let bandedFilterbank: BandedFilterbank

    public init(name: String = "foa", parameters: FOAParameters) {
        self.name = name
        self.parameters = parameters
        stft = STFT(nFFT: parameters.nFFT, hopLength: parameters.hopLength, winLength: parameters.winLength,
                    window: parameters.window, center: true, padMode: parameters.padMode, padTail: parameters.padTail,
                    sampleOffset: parameters.sampleEps)
        filterbank = MelFilterbank(sampleRate: Double(parameters.sr), nFFT: parameters.nFFT, nMels: parameters.nMels,
                                   fmin: parameters.fmin, fmax: parameters.fmax)
        bandedFilterbank = BandedFilterbank(filterbank)
    }

    public var sampleRate: Int { parameters.sr }

    /// The IV channels' source indices in the input (W, Y, Z, X): file order Y, Z, X in 2022; X, Y, Z in 2021.
    public var intensitySources: [Int] {
        parameters.convention == .dcase2022 ? [1, 2, 3] : [3, 1, 2]
    }

    public func frameCount(sampleCount n: Int) -> Int {
        let all = stft.frameCount(sampleCount: n)
        if parameters.keepAllFrames { return all }
        let hop = parameters.hopLength
        switch parameters.convention {
        case .dcase2022: return min(all, n / hop)                 // nb_frames = int(n / hop)
        case .dcase2021: return min(all, (n + hop - 1) / hop)     // ceil(n / hop)
        }
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [7, frameCount(sampleCount: sampleCount), parameters.nMels]
    }

    public func makeWorker() -> any FeatureWorker { FOAWorker(self) }
}

/// Per-thread scratch of `FOAFeatures`: the 4 complex spectrograms and the 7-channel linear
/// matrix, grown once to the longest clip.
final class FOAWorker: FeatureWorker {
    let extractor: FOAFeatures
    let buffers: FFTBuffers
    var real: [Float] = []
    var imaginary: [Float] = []
    var linear: [Float] = []

    init(_ extractor: FOAFeatures) {
        self.extractor = extractor
        buffers = extractor.stft.makeBuffers()
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        guard channels.count == 4 else {
            throw FeatureError("FOA features need 4 channels (W, Y, Z, X), got \(channels.count); use a keep/select channel policy")
        }
        let p = extractor.parameters
        let n = channels[0].count
        let stft = extractor.stft
        let allFrames = stft.frameCount(sampleCount: n)
        let frames = extractor.frameCount(sampleCount: n)
        guard frames > 0 else { throw FeatureError("clip of \(n) samples gives no FOA frame") }
        let bins = stft.binCount
        let mels = p.nMels
        let spectrumSize = allFrames * bins
        if real.count < 4 * spectrumSize {
            real = [Float](repeating: 0, count: 4 * spectrumSize)
            imaginary = [Float](repeating: 0, count: 4 * spectrumSize)
        }
        if linear.count < 7 * frames * bins { linear = [Float](repeating: 0, count: 7 * frames * bins) }
        var out = [Float](repeating: 0, count: 7 * frames * mels)

        real.withUnsafeMutableBufferPointer { re in
            imaginary.withUnsafeMutableBufferPointer { im in
                for c in 0..<4 {
                    channels[c].withUnsafeBufferPointer { signal in
                        stft.complex(signal, buffers: buffers, real: re.baseAddress! + c * spectrumSize,
                                     imaginary: im.baseAddress! + c * spectrumSize)
                    }
                }
                linear.withUnsafeMutableBufferPointer { lin in
                    fillLinear(re.baseAddress!, im.baseAddress!, spectrumSize: spectrumSize, frames: frames,
                               bins: bins, into: lin.baseAddress!)
                }
            }
        }
        out.withUnsafeMutableBufferPointer { o in
            linear.withUnsafeBufferPointer { lin in
                extractor.bandedFilterbank.apply(lin.baseAddress!, frames: 7 * frames, into: o.baseAddress!)
            }
            let perChannel = frames * mels
            for c in 0..<4 {
                let channel = UnsafeMutableBufferPointer(rebasing: o[(c * perChannel)..<((c + 1) * perChannel)])
                switch p.log {
                case .db:
                    p.db.applyViaLog2(channel)  // per channel, as the baselines call power_to_db per channel
                case .ln:
                    let eps = Float(p.logEps)
                    for i in channel.indices { channel[i] = logf(channel[i] + eps) }
                }
            }
        }
        return FeatureTensor(shape: [7, frames, mels], values: out)
    }

    /// Rows `[c·T + t]` of the `[7·T, bins]` linear matrix: power of W, Y, Z, X, then `I/E` for the
    /// convention's three IV channels. Products are formed in float64 from the complex64 STFT.
    func fillLinear(_ re: UnsafePointer<Float>, _ im: UnsafePointer<Float>, spectrumSize: Int, frames: Int,
                    bins: Int, into lin: UnsafeMutablePointer<Float>) {
        let p = extractor.parameters
        let sources = extractor.intensitySources
        let ivOffsets = (sources[0] * spectrumSize, sources[1] * spectrumSize, sources[2] * spectrumSize)
        let channelStride = frames * bins
        let is2022 = p.convention == .dcase2022
        let eps = p.eps
        let (y, z, x) = (spectrumSize, 2 * spectrumSize, 3 * spectrumSize)
        for i in 0..<(frames * bins) {
            // Powers in float64 from the complex64 STFT (the baselines run in float64 throughout;
            // this is also far cheaper than float32 hypotf).
            let wr = Double(re[i]), wi = Double(im[i])
            let pw = wr * wr + wi * wi
            let py = Double(re[y + i]) * Double(re[y + i]) + Double(im[y + i]) * Double(im[y + i])
            let pz = Double(re[z + i]) * Double(re[z + i]) + Double(im[z + i]) * Double(im[z + i])
            let px = Double(re[x + i]) * Double(re[x + i]) + Double(im[x + i]) * Double(im[x + i])
            lin[i] = Float(pw)
            lin[channelStride + i] = Float(py)
            lin[2 * channelStride + i] = Float(pz)
            lin[3 * channelStride + i] = Float(px)
            let energy = is2022 ? eps + pw + (py + pz + px) / 3 : eps + (pw + py + pz + px) / 2
            let inverse = 1 / energy
            let a = ivOffsets.0 + i, b = ivOffsets.1 + i, c = ivOffsets.2 + i
            lin[4 * channelStride + i] = Float((wr * Double(re[a]) + wi * Double(im[a])) * inverse)
            lin[5 * channelStride + i] = Float((wr * Double(re[b]) + wi * Double(im[b])) * inverse)
            lin[6 * channelStride + i] = Float((wr * Double(re[c]) + wi * Double(im[c])) * inverse)
        }
    }
}
