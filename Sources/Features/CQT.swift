import ConfigCoding
import DSP
import Foundation

/// Parameters of the constant-Q representation, librosa's names and defaults:
/// ```yaml
/// - name: cqt
///   kind: cqt
///   hop_length: 512
///   n_bins: 84            # fmin defaults to C1 = 32.70319566 Hz
///   output: db            # amplitude_to_db(|C|, ref=1.0, amin=1e-5, top_db=80)
/// - name: cqt_sps         # SPSMR's code: nnAudio CQT1992v2
///   kind: cqt
///   variant: nnaudio1992v2
///   fmin: 220
///   n_bins: 64
/// ```
/// `variant: librosa` is `librosa.cqt` 0.11 (`res_type='soxr_hq'`); `variant: nnaudio1992v2` is
/// nnAudio's `CQT1992v2` (features.md §1.7.4), whose defaults differ: `fmin` 32.70 Hz and
/// `pad_mode` reflect. `tuning`, `sparsity`, `scale` and `pad_tail` are librosa-only; `center` is
/// nnAudio-only (librosa's CQT is always centred).
///
/// `pad_tail` (librosa variant, `pad_mode: reflect`): `slice` (default) follows librosa 0.11, whose
/// per-octave STFT pads only a tail slice, so with a small top-octave n_fft and a hop ≥ n_fft/2 the
/// last frame differs from whole-signal padding (3e-3 relative at 16 kHz, hop 160); `whole` pads the
/// whole signal as librosa ≤ 0.9 did (`TailPadding`, features.md §1.2). nnAudio always pads the whole signal.
public struct CQTParameters: Codable, Equatable, Sendable {
    public enum Variant: String, Codable, Sendable {
        case librosa
        case nnaudio1992v2
    }

    /// What is stored.
    public enum Output: String, Codable, Sendable {
        /// `|C|`.
        case magnitude
        /// `librosa.amplitude_to_db(|C|, ref=ref, amin=amin, top_db=top_db)`.
        case db
        /// `10·log10(max(|C|, 1e-10))`: 10·log10 of the *magnitude*, clamped at −100 dB, which is what
        /// SPS's code did with nnAudio's CQT output (features.md §1.10).
        case log10Magnitude = "log10_magnitude"
    }

    public var variant: Variant = .librosa
    public var sr: Int = 22050
    public var hopLength: Int = 512
    /// nil: the variant's default (C1 for librosa, 32.70 Hz for nnAudio).
    public var fmin: Double? = nil
    public var nBins: Int = 84
    public var binsPerOctave: Int = 12
    public var tuning: Double = 0
    public var filterScale: Double = 1
    /// Filter normalisation: 1 (L1, default), 2 (L2) or nil (none).
    public var norm: Int? = 1
    public var sparsity: Double = 0.01
    public var window: WindowFunction = .hann
    public var scale: Bool = true
    /// nil: the variant's default (constant for librosa ≥ 0.9, reflect for nnAudio).
    public var padMode: PadMode? = nil
    /// How reflect padding treats the end of each octave's signal (librosa variant; `TailPadding`).
    public var padTail: TailPadding = .slice
    public var center: Bool = true
    /// Only soxr_hq (librosa ≥ 0.10's default) is implemented.
    public var resType: String = "soxr_hq"
    public var output: Output = .magnitude
    /// `amplitude_to_db`'s `ref`: a number or `max` (the clip's largest magnitude).
    public var ref: PowerToDB.Reference = .value(1.0)
    public var amin: Double = 1e-5
    public var topDB: Double? = 80
    /// Over what `ref: max` and the `top_db` floor are taken for multichannel clips.
    public var dbScope: LogMelParameters.DBScope = .clip

    public init() {}

    public var effectiveFmin: Double { fmin ?? (variant == .librosa ? ConstantQFilters.c1 : 32.70) }
    public var effectivePadMode: PadMode { padMode ?? (variant == .librosa ? .constant : .reflect) }

    enum CodingKeys: String, CodingKey {
        case variant, sr, hopLength = "hop_length", fmin, nBins = "n_bins", binsPerOctave = "bins_per_octave"
        case tuning, filterScale = "filter_scale", norm, sparsity, window, scale, padMode = "pad_mode", center
        case resType = "res_type", output, ref, amin, topDB = "top_db", dbScope = "db_scope", padTail = "pad_tail"
    }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try f.decode("variant", \.variant)
        try f.decode("sr", \.sr)
        try f.decode("hop_length", \.hopLength)
        try f.decode("fmin", \.fmin)
        try f.decode("n_bins", \.nBins)
        try f.decode("bins_per_octave", \.binsPerOctave)
        try f.decode("tuning", \.tuning)
        try f.decode("filter_scale", \.filterScale)
        try f.decode("norm", \.norm)
        try f.decode("sparsity", \.sparsity)
        try f.decode("window", \.window)
        try f.decode("scale", \.scale)
        try f.decode("pad_mode", \.padMode)
        try f.decode("pad_tail", \.padTail)
        try f.decode("center", \.center)
        try f.decode("res_type", \.resType)
        try f.decode("output", \.output)
        try f.decode("ref", \.ref)
        try f.decode("amin", \.amin)
        try f.decode("top_db", \.topDB)
        try f.decode("db_scope", \.dbScope)
    }

    /// Every parameter actually used is written (variant defaults resolved).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variant, forKey: .variant)
        try c.encode(sr, forKey: .sr)
        try c.encode(hopLength, forKey: .hopLength)
        try c.encode(effectiveFmin, forKey: .fmin)
        try c.encode(nBins, forKey: .nBins)
        try c.encode(binsPerOctave, forKey: .binsPerOctave)
        if variant == .librosa { try c.encode(tuning, forKey: .tuning) }
        try c.encode(filterScale, forKey: .filterScale)
        if let norm { try c.encode(norm, forKey: .norm) } else { try c.encodeNil(forKey: .norm) }
        if variant == .librosa {
            try c.encode(sparsity, forKey: .sparsity)
            try c.encode(scale, forKey: .scale)
            try c.encode(resType, forKey: .resType)
            try c.encode(padTail, forKey: .padTail)
        } else {
            try c.encode(center, forKey: .center)
        }
        try c.encode(window, forKey: .window)
        try c.encode(effectivePadMode, forKey: .padMode)
        try c.encode(output, forKey: .output)
        if output == .db {
            try c.encode(ref, forKey: .ref)
            try c.encode(amin, forKey: .amin)
            if let topDB { try c.encode(topDB, forKey: .topDB) } else { try c.encodeNil(forKey: .topDB) }
            try c.encode(dbScope, forKey: .dbScope)
        }
    }

    /// Why these parameters cannot run (the first of `parameterProblems`), or nil.
    public var validationError: String? {
        parameterProblems.first.map { "cqt: \($0)" }
    }

    var filterNorm: ConstantQFilters.FilterNorm {
        switch norm { case 1: return .l1; case 2: return .l2; default: return .none }
    }
}

/// Constant-Q magnitude (or dB), `[C, T, n_bins]`. The transform (kernels, octave plans, FFT
/// plans) is built once here and shared by all workers.
public struct CQT: FeatureExtractor {
    enum Engine: Sendable {
        case librosa(ConstantQTransform)
        case nnaudio(ConstantQ1992v2)
        case invalid(String)
    }

    public let name: String
    public let parameters: CQTParameters
    let engine: Engine

    /// Invalid parameters (e.g. filters above Nyquist at this `sr`) do not crash: every clip then
    /// fails with the reason, and `FeatureSpec.validate()` reports it up front.
    public init(name: String = "cqt", parameters p: CQTParameters) {
        self.name = name
        self.parameters = p
        if let problem = p.validationError {
            engine = .invalid(problem)
            return
        }
        do {
            switch p.variant {
            case .librosa:
                var t = ConstantQTransform.Parameters()
                t.sampleRate = Double(p.sr); t.hopLength = p.hopLength; t.fmin = p.effectiveFmin
                t.nBins = p.nBins; t.binsPerOctave = p.binsPerOctave; t.tuning = p.tuning
                t.filterScale = p.filterScale; t.norm = p.filterNorm; t.sparsity = p.sparsity
                t.window = p.window; t.scale = p.scale; t.padMode = p.effectivePadMode; t.padTail = p.padTail
                engine = .librosa(try ConstantQTransform(t))
            case .nnaudio1992v2:
                var t = ConstantQ1992v2.Parameters()
                t.sampleRate = Double(p.sr); t.hopLength = p.hopLength; t.fmin = p.effectiveFmin
                t.nBins = p.nBins; t.binsPerOctave = p.binsPerOctave; t.filterScale = p.filterScale
                t.norm = p.filterNorm; t.window = p.window; t.center = p.center; t.padMode = p.effectivePadMode
                engine = .nnaudio(try ConstantQ1992v2(t))
            }
        } catch {
            engine = .invalid("\(error)")
        }
    }

    /// Why this extractor cannot run, or nil.
    public var configurationError: String? {
        if case .invalid(let problem) = engine { return problem }
        return nil
    }

    public var sampleRate: Int { parameters.sr }

    public func frameCount(sampleCount: Int) -> Int {
        switch engine {
        case .librosa(let t): return t.frameCount(sampleCount: sampleCount)
        case .nnaudio(let t): return t.frameCount(sampleCount: sampleCount)
        case .invalid: return 0
        }
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [channelCount, frameCount(sampleCount: sampleCount), parameters.nBins]
    }

    public func makeWorker() -> any FeatureWorker { CQTWorker(self) }
}

/// Per-thread scratch of `CQT`: the transform's workspace (FFT buffers, decimation buffers or
/// frame blocks), reused for every clip.
final class CQTWorker: FeatureWorker {
    enum Workspace {
        case librosa(ConstantQTransform, ConstantQTransform.Workspace)
        case nnaudio(ConstantQ1992v2, ConstantQ1992v2.Workspace)
        case invalid(String)
    }

    let extractor: CQT
    let workspace: Workspace

    init(_ extractor: CQT) {
        self.extractor = extractor
        switch extractor.engine {
        case .librosa(let t): workspace = .librosa(t, t.makeWorkspace())
        case .nnaudio(let t): workspace = .nnaudio(t, t.makeWorkspace())
        case .invalid(let problem): workspace = .invalid(problem)
        }
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        if case .invalid(let problem) = workspace { throw FeatureError(problem) }
        let p = extractor.parameters
        let n = channels.first?.count ?? 0
        let frames = extractor.frameCount(sampleCount: n)
        guard frames > 0 else {
            throw FeatureError("clip of \(n) samples is too short for this CQT (no complete frame)")
        }
        let perChannel = frames * p.nBins
        var out = [Float](repeating: 0, count: channels.count * perChannel)
        try out.withUnsafeMutableBufferPointer { outBuffer in
            for (c, channel) in channels.enumerated() {
                let dst = outBuffer.baseAddress! + c * perChannel
                try channel.withUnsafeBufferPointer { signal in
                    switch workspace {
                    case .librosa(let t, let ws): try t.magnitude(signal, workspace: ws, into: dst)
                    case .nnaudio(let t, let ws): t.magnitude(signal, workspace: ws, into: dst)
                    case .invalid: break
                    }
                }
            }
            switch p.output {
            case .magnitude: break
            case .db: amplitudeToDB(outBuffer, channelCount: channels.count, perChannel: perChannel)
            case .log10Magnitude: PowerToDB(ref: .value(1), amin: 1e-10, topDB: nil).apply(outBuffer)
            }
        }
        return FeatureTensor(shape: [channels.count, frames, p.nBins], values: out)
    }

    /// `amplitude_to_db(S, ref, amin, top_db)` = `power_to_db(S², ref², amin², top_db)` (§1.5),
    /// with librosa's float32 squaring.
    func amplitudeToDB(_ values: UnsafeMutableBufferPointer<Float>, channelCount: Int, perChannel: Int) {
        let p = extractor.parameters
        for i in 0..<values.count { values[i] = values[i] * values[i] }
        let ref: PowerToDB.Reference
        switch p.ref {
        case .max: ref = .max
        case .value(let v): ref = .value(v * v)
        }
        let db = PowerToDB(ref: ref, amin: p.amin * p.amin, topDB: p.topDB)
        switch p.dbScope {
        case .clip:
            db.apply(values)
        case .channel:
            for c in 0..<channelCount {
                db.apply(UnsafeMutableBufferPointer(rebasing: values[(c * perChannel)..<((c + 1) * perChannel)]))
            }
        }
    }
}
