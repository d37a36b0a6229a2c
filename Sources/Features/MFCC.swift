import ConfigCoding
import DSP
import Foundation

/// Parameters of `librosa.feature.mfcc` (0.11), plus optional deltas, flattened in YAML:
/// ```yaml
/// - name: mfcc40
///   kind: mfcc
///   n_mfcc: 40
///   n_fft: 2048
///   hop_length: 512
///   n_mels: 40
///   delta_order: 2     # append Δ and ΔΔ (librosa.feature.delta, width 9, mode 'interp')
/// ```
/// The mel part is a `LogMelParameters` (same keys and defaults as the `logmel` kind), except that,
/// as in librosa's `mfcc`, `norm` is the DCT norm (`ortho` or null) and the mel filter norm is
/// `mel_norm`. The log-mel defaults are librosa's `power_to_db` ones, so the 80-dB `top_db` floor
/// relative to the clip's maximum is applied before the DCT, as librosa does (features.md §1.6).
public struct MFCCParameters: Codable, Equatable, Sendable {
    /// Mel spectrogram and dB conversion (`sr`, `n_fft`, `hop_length`, `n_mels`, `db`, ...).
    public var mel = LogMelParameters()
    public var nMFCC: Int = 20
    /// Only type 2 is implemented (librosa's default and the only one the recipes use).
    public var dctType: Int = 2
    public var norm: DCTMatrix.Norm = .ortho
    /// Cepstral liftering `1 + (lifter/2)·sin(π(k+1)/lifter)`; 0 turns it off.
    public var lifter: Double = 0
    /// 0: static coefficients only; 1: also Δ; 2: also Δ and ΔΔ. Appended along the feature axis:
    /// `[c_0..c_{n-1}, Δc_0.., ΔΔc_0..]`.
    public var deltaOrder: Int = 0
    /// `width` of `librosa.feature.delta` (odd, ≥ 3; the clip needs at least this many frames).
    public var deltaWidth: Int = 9

    public init() {}

    public var sr: Int {
        get { mel.sr }
        set { mel.sr = newValue }
    }

    /// Values per frame: `n_mfcc · (1 + delta_order)`.
    public var featureCount: Int { nMFCC * (1 + deltaOrder) }

    enum CodingKeys: String, CodingKey {
        case nMFCC = "n_mfcc", dctType = "dct_type", norm, lifter, deltaOrder = "delta_order", deltaWidth = "delta_width"
    }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try LogMelParameters.decodeFields(&f, into: \.mel, melNormKey: "mel_norm")
        try f.decode("n_mfcc", \.nMFCC)
        try f.decode("dct_type", \.dctType)
        try f.decode("norm", \.norm, ifNull: .none)
        try f.decode("lifter", \.lifter)
        try f.decode("delta_order", \.deltaOrder)
        try f.decode("delta_width", \.deltaWidth)
    }

    public func encode(to encoder: Encoder) throws {
        try mel.encode(to: encoder, melNormKey: "mel_norm")
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(nMFCC, forKey: .nMFCC)
        try c.encode(dctType, forKey: .dctType)
        if norm == .none { try c.encodeNil(forKey: .norm) } else { try c.encode(norm, forKey: .norm) }
        try c.encode(lifter, forKey: .lifter)
        try c.encode(deltaOrder, forKey: .deltaOrder)
        try c.encode(deltaWidth, forKey: .deltaWidth)
    }

    /// Why these parameters cannot run, or nil.
    public var validationError: String? {
        configurationProblems().first.map { "mfcc: \($0)" }
    }
}

/// MFCC: the log-mel extractor's output (one STFT plan and filterbank), then one float64 product
/// with the precomputed DCT-II matrix for all frames (float32 accumulation is ~1e-3 off on quiet
/// clips, see `DCTMatrix`), then optional Savitzky-Golay deltas. `[C, T, F]`.
public struct MFCC: FeatureExtractor {
    public let name: String
    public let parameters: MFCCParameters
    /// The log-mel front end, uncropped: `max_frames` is applied after the deltas so the edge
    /// frames of the kept part see the same neighbours as in an uncropped reference.
    let logMel: LogMel
    let dct: DCTMatrix
    /// Filters for delta orders 1 and 2 (as many as `delta_order`).
    let deltas: [DeltaFilter]
    public let configurationError: String?

    public init(name: String = "mfcc", parameters: MFCCParameters) {
        self.name = name
        self.parameters = parameters
        var mel = parameters.mel
        mel.maxFrames = nil
        logMel = LogMel(name: name, parameters: mel)
        var problem = parameters.validationError
        let count = problem == nil ? parameters.nMFCC : 1
        dct = DCTMatrix(size: max(1, parameters.mel.nMels), count: max(1, count), norm: parameters.norm, lifter: parameters.lifter)
        var deltas: [DeltaFilter] = []
        if problem == nil {
            do {
                for order in stride(from: 1, through: parameters.deltaOrder, by: 1) {
                    deltas.append(try DeltaFilter(width: parameters.deltaWidth, order: order))
                }
            } catch { problem = "\(error)" }
        }
        self.deltas = deltas
        configurationError = problem
    }

    public var sampleRate: Int { parameters.sr }

    public func frameCount(sampleCount: Int) -> Int {
        let frames = logMel.frameCount(sampleCount: sampleCount)
        return parameters.mel.maxFrames.map { min($0, frames) } ?? frames
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [channelCount, frameCount(sampleCount: sampleCount), parameters.featureCount]
    }

    public func makeWorker() -> any FeatureWorker { MFCCWorker(self) }
}

/// Per-thread scratch of `MFCC`: the log-mel worker, one cepstrum buffer, one delta buffer and the
/// float64 DCT's scratch.
final class MFCCWorker: FeatureWorker {
    let extractor: MFCC
    let logMel: LogMelWorker
    var cepstra: [Float] = []
    var delta: [Float] = []
    var accumulator: [Double] = []
    var dctScratch: [Double] = []

    init(_ extractor: MFCC) {
        self.extractor = extractor
        logMel = LogMelWorker(extractor.logMel)
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        if let problem = extractor.configurationError { throw FeatureError(problem) }
        return try extract(logMel: try logMel.extract(channels))  // [C, T, n_mels], dB, top_db over the whole clip
    }

    /// The cepstra of an uncropped log-mel `[C, T, n_mels]` computed with `parameters.mel` (without `max_frames`).
    func extract(logMel mel: FeatureTensor) throws -> FeatureTensor {
        if let problem = extractor.configurationError { throw FeatureError(problem) }
        let p = extractor.parameters
        let channelCount = mel.shape[0]
        let frames = mel.shape[1], mels = mel.shape[2]
        let n = p.nMFCC, features = p.featureCount
        if let width = extractor.deltas.first?.width, frames < width {
            throw FeatureError("mfcc deltas: width=\(width) cannot exceed the \(frames) frames of this clip (librosa raises too)")
        }
        let kept = p.mel.maxFrames.map { min($0, frames) } ?? frames
        if cepstra.count < frames * n { cepstra = [Float](repeating: 0, count: frames * n) }
        if !extractor.deltas.isEmpty && delta.count < frames * n { delta = [Float](repeating: 0, count: frames * n) }
        var out = [Float](repeating: 0, count: channelCount * kept * features)
        mel.values.withUnsafeBufferPointer { melValues in
        out.withUnsafeMutableBufferPointer { outBuffer in
        cepstra.withUnsafeMutableBufferPointer { cep in
            for c in 0..<channelCount {
                extractor.dct.apply(melValues.baseAddress! + c * frames * mels, rows: frames, into: cep.baseAddress!,
                                    scratch: &dctScratch)
                let dst = outBuffer.baseAddress! + c * kept * features
                for t in 0..<kept { (dst + t * features).update(from: cep.baseAddress! + t * n, count: n) }
                for (d, filter) in extractor.deltas.enumerated() {
                    delta.withUnsafeMutableBufferPointer { del in
                        filter.apply(cep.baseAddress!, frames: frames, features: n, inputStride: n,
                                     into: del.baseAddress!, outputStride: n, scratch: &accumulator)
                        for t in 0..<kept { (dst + t * features + (d + 1) * n).update(from: del.baseAddress! + t * n, count: n) }
                    }
                }
            }
        }}}
        return FeatureTensor(shape: [channelCount, kept, features], values: out)
    }
}
