import ConfigCoding
import DSP
import Foundation

/// Parameters of the ESgram (`kind: esgram`): the log-mel it gates (all `logmel` keys, with
/// STgram-MFN's Sgram as defaults, since ESTM fuses exactly that Sgram) and the TriStat gate's
/// options (`alpha`, `median`, `ddof`, `mu`, `mu_value`), plus where the statistics come from.
public struct ESgramParameters: Codable, Equatable, Sendable {
    /// Which values the per-frame statistics are computed on.
    public enum StatsDomain: String, Codable, Sendable {
        /// The log-mel itself (dB), the paper's "Log-Mel"; with dB values the gate mostly saturates.
        case log
        /// The mel power before the log (the gate still multiplies the log-mel).
        case linear
    }

    /// The Sgram: `torchaudio.transforms.MelSpectrogram(16000, n_fft 1024, hop 512, 128 mels)` +
    /// `AmplitudeToDB('power')`: reflect padding of the whole signal (torch.stft, `pad_tail: whole`),
    /// HTK scale, no norm, `10 log10(max(x, 1e-10))`, no top_db.
    public static var sgram: LogMelParameters {
        var p = LogMelParameters()
        p.sr = 16000
        p.nFFT = 1024
        p.hopLength = 512
        p.nMels = 128
        p.padMode = .reflect
        p.padTail = .whole
        p.melScale = .htk
        p.norm = .none
        p.log = .dbNoClip
        return p
    }

    public var logmel: LogMelParameters = ESgramParameters.sgram
    public var gate: TriStatGate = TriStatGate()
    public var statsDomain: StatsDomain = .log
    /// Output `[x_Mel, x_EMel]` stacked on the channel axis (ESTgram's first two channels) instead of `x_EMel` alone.
    public var stackLogmel: Bool = false

    public init() {}

    enum CodingKeys: String, CodingKey { case statsDomain = "stats_domain", stackLogmel = "stack_logmel" }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    /// The log-mel and gate keys sit at the same level; absent log-mel keys keep the Sgram's values
    /// (the default `logmel`), not librosa's.
    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try LogMelParameters.decodeFields(&f, into: \.logmel, melNormKey: "norm")
        try f.flattened(\.gate) { try TriStatGate.decodeFields(&$0) }
        try f.decode("stats_domain", \.statsDomain)
        try f.decode("stack_logmel", \.stackLogmel)
    }

    public func encode(to encoder: Encoder) throws {
        try logmel.encode(to: encoder)
        var g = encoder.container(keyedBy: TriStatGate.CodingKeys.self)
        try g.encode(gate.alpha, forKey: .alpha)
        try g.encode(gate.median, forKey: .median)
        try g.encode(gate.ddof, forKey: .ddof)
        try g.encode(gate.mu, forKey: .mu)
        try g.encode(gate.muValue, forKey: .muValue)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(statsDomain, forKey: .statsDomain)
        try c.encode(stackLogmel, forKey: .stackLogmel)
    }
}

/// ESgram, ESTM's enhanced log-mel (seed 002, Eq. 1-2): `x_EMel = gate ⊗ x_Mel`, one TriStat gate
/// per frame broadcast over the mel axis. `[C, T, n_mels]`, or `[2C, T, n_mels]` with `stack_logmel`.
///
/// Each channel is gated on its own statistics (and its own `μ`), as a mono clip would be.
public struct ESgram: FeatureExtractor {
    public let name: String
    public let parameters: ESgramParameters
    /// The log-mel computed without a log, so the linear statistics are available; the log is applied after.
    let mel: LogMel

    public init(name: String = "esgram", parameters: ESgramParameters) {
        self.name = name
        self.parameters = parameters
        var linear = parameters.logmel
        linear.log = .none
        linear.maxFrames = nil
        mel = LogMel(name: name, parameters: linear)
    }

    public var sampleRate: Int { parameters.logmel.sr }

    /// `LogMel`'s count: `1 + n/hop` with center, cropped to `max_frames`.
    public func frameCount(sampleCount n: Int) -> Int {
        let all = mel.stft.frameCount(sampleCount: n)
        return parameters.logmel.maxFrames.map { min($0, all) } ?? all
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [parameters.stackLogmel ? 2 * channelCount : channelCount, frameCount(sampleCount: sampleCount),
         parameters.logmel.nMels]
    }

    public func makeWorker() -> any FeatureWorker { ESgramWorker(self) }
}

/// Per-thread scratch of `ESgram`: a log-mel worker, a sort buffer of one frame and the gates.
final class ESgramWorker: FeatureWorker {
    let extractor: ESgram
    let melWorker: LogMelWorker
    /// Only its `applyLog` is used: it converts with the configured log and top_db scope.
    let logWorker: LogMelWorker
    var sortScratch: [Float]
    var gates: [Double] = []

    init(_ extractor: ESgram) {
        self.extractor = extractor
        melWorker = LogMelWorker(extractor.mel)
        logWorker = LogMelWorker(LogMel(parameters: extractor.parameters.logmel))
        sortScratch = [Float](repeating: 0, count: extractor.parameters.logmel.nMels)
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        let linear = try melWorker.extract(channels)  // [C, allFrames, M], linear, uncropped
        var logged = linear
        logged.values.withUnsafeMutableBufferPointer { v in
            // The log over all frames (top_db sees every frame, as LogMel), then the crop.
            logWorker.applyLog(v, channelCount: linear.shape[0], perChannel: linear.shape[1] * linear.shape[2])
        }
        return gated(linear: linear, logged: logged)
    }

    /// The ESgram from the uncropped linear mel power and its log (`parameters.logmel`'s log), both `[C, allFrames, M]`.
    func gated(linear: FeatureTensor, logged mel: FeatureTensor) -> FeatureTensor {
        let p = extractor.parameters
        let c = mel.shape[0], allFrames = mel.shape[1], mels = mel.shape[2]
        let frames = p.logmel.maxFrames.map { min($0, allFrames) } ?? allFrames
        if gates.count < c * frames { gates = [Double](repeating: 0, count: c * frames) }
        let source = p.statsDomain == .linear ? linear.values : mel.values
        source.withUnsafeBufferPointer { v in
            gates.withUnsafeMutableBufferPointer { g in
                sortScratch.withUnsafeMutableBufferPointer { s in
                    for ch in 0..<c {
                        p.gate.statistics(v.baseAddress! + ch * allFrames * mels, frames: frames, bins: mels,
                                          scratch: s.baseAddress!, into: g.baseAddress! + ch * frames)
                    }
                    for ch in 0..<c {
                        p.gate.gates(UnsafeMutableBufferPointer(rebasing: g[(ch * frames)..<((ch + 1) * frames)]))
                    }
                }
            }
        }
        let channelsOut = p.stackLogmel ? 2 * c : c
        var out = [Float](repeating: 0, count: channelsOut * frames * mels)
        let perChannel = frames * mels
        let values = mel.values
        for ch in 0..<c {
            let source = ch * allFrames * mels
            let gated = (p.stackLogmel ? c + ch : ch) * perChannel
            for t in 0..<frames {
                let gate = Float(gates[ch * frames + t])
                for m in 0..<mels {
                    let x = values[source + t * mels + m]
                    out[gated + t * mels + m] = gate * x
                    if p.stackLogmel { out[ch * perChannel + t * mels + m] = x }
                }
            }
        }
        return FeatureTensor(shape: [channelsOut, frames, mels], values: out)
    }
}
