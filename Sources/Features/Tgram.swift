import ConfigCoding
import DSP
import Foundation

/// Parameters of the Tgram input (`kind: tgram`), named after STgram-MFN's `TgramNet(win_len,
/// hop_len)` and its config (`sr 16000, win_length 1024, hop_length 512`), features.md §4.
public struct TgramParameters: Codable, Equatable, Sendable {
    public var sr: Int = 16000
    /// The first Conv1d's kernel size.
    public var winLength: Int = 1024
    /// Its stride.
    public var hopLength: Int = 512
    /// Zeros on each side (Conv1d `padding`); nil is the reference's `win_len // 2`.
    public var padding: Int? = nil
    /// Optional fixed projection: a `.npy` float32/float64 matrix `[out, win_length]` (e.g. a trained
    /// `conv_extrctor.weight` squeezed to 2-D). Relative paths are resolved from the working directory.
    public var weights: String? = nil

    public init() {}

    public var resolvedPadding: Int { padding ?? winLength / 2 }

    enum CodingKeys: String, CodingKey { case sr, winLength = "win_length", hopLength = "hop_length", padding, weights }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try f.decode("sr", \.sr)
        try f.decode("win_length", \.winLength)
        try f.decode("hop_length", \.hopLength)
        try f.decode("padding", \.padding)
        try f.decode("weights", \.weights)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sr, forKey: .sr)
        try c.encode(winLength, forKey: .winLength)
        try c.encode(hopLength, forKey: .hopLength)
        try c.encode(resolvedPadding, forKey: .padding)
        if let weights { try c.encode(weights, forKey: .weights) } else { try c.encodeNil(forKey: .weights) }
    }
}

/// The Tgram: the raw waveform cut into the frames STgram-MFN's first `Conv1d(1, 128, win_len,
/// hop_len, padding=win_len//2, bias=False)` sees, `[1, T, win_length]` with
/// `frames[t, k] = xpad[t·hop + k]` over the zero-padded signal and `T = 1 + (n + 2·pad - win)/hop`
/// (313 × 1024 for 10 s at 16 kHz; frame centres `t·hop`, the Sgram's). With `weights` the fixed
/// projection `W · framesᵀ` (a Conv1d is a cross-correlation: no kernel flip) is applied by one sgemm,
/// giving `[1, T, out]`.
///
/// Everything after that first layer is learned, so the trained Tgram itself is never a stored
/// feature; the frames (or a frozen projection) are.
public struct Tgram: FeatureExtractor {
    public let name: String
    public let parameters: TgramParameters
    /// `[out, win_length]` row-major, when a projection is configured and loaded.
    public let projection: NPYArray?
    /// Why the configured weights could not be used; reported by the worker's `extract`.
    public let loadError: FeatureError?

    /// Loads `parameters.weights` when set. `FeatureSpec.makeExtractor` cannot throw, so a bad file
    /// is kept as `loadError` and makes every `extract` fail with that message.
    public init(name: String = "tgram", parameters: TgramParameters) {
        var projection: NPYArray? = nil
        var loadError: FeatureError? = nil
        if let path = parameters.weights {
            do {
                projection = try NPYArray(contentsOf: URL(fileURLWithPath: path))
            } catch {
                loadError = FeatureError("tgram weights \(path): \(error)")
            }
        }
        self.init(name: name, parameters: parameters, projection: projection, loadError: loadError)
    }

    /// With an already loaded projection `[out, win_length]`.
    public init(name: String = "tgram", parameters: TgramParameters, projection: NPYArray?) {
        self.init(name: name, parameters: parameters, projection: projection, loadError: nil)
    }

    init(name: String, parameters: TgramParameters, projection: NPYArray?, loadError: FeatureError?) {
        self.name = name
        self.parameters = parameters
        var error = loadError
        if let projection, projection.shape.count != 2 || projection.shape[1] != parameters.winLength {
            error = FeatureError("tgram weights have shape \(projection.shape); need [out, \(parameters.winLength)]")
        }
        self.projection = error == nil ? projection : nil
        self.loadError = error
    }

    public var sampleRate: Int { parameters.sr }

    public func frameCount(sampleCount n: Int) -> Int {
        let padded = n + 2 * parameters.resolvedPadding
        return padded < parameters.winLength ? 0 : 1 + (padded - parameters.winLength) / parameters.hopLength
    }

    /// Values per frame: `win_length`, or the projection's `out`.
    public var featureCount: Int { projection?.shape[0] ?? parameters.winLength }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [channelCount, frameCount(sampleCount: sampleCount), featureCount]
    }

    public func makeWorker() -> any FeatureWorker { TgramWorker(self) }
}

/// Per-thread scratch of `Tgram`: the frame matrix when a projection follows.
final class TgramWorker: FeatureWorker {
    let extractor: Tgram
    var frames: [Float] = []

    init(_ extractor: Tgram) { self.extractor = extractor }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        if let error = extractor.loadError { throw error }
        let p = extractor.parameters
        let n = channels.first?.count ?? 0
        let count = extractor.frameCount(sampleCount: n)
        guard count > 0 else { throw FeatureError("clip of \(n) samples is shorter than one Tgram frame") }
        let win = p.winLength
        let width = extractor.featureCount
        var out = [Float](repeating: 0, count: channels.count * count * width)
        if extractor.projection != nil, frames.count < count * win {
            frames = [Float](repeating: 0, count: count * win)
        }
        out.withUnsafeMutableBufferPointer { o in
            for (c, channel) in channels.enumerated() {
                let dst = o.baseAddress! + c * count * width
                channel.withUnsafeBufferPointer { x in
                    if let projection = extractor.projection {
                        frames.withUnsafeMutableBufferPointer { f in
                            cut(x, frames: count, into: f.baseAddress!)
                            projection.values.withUnsafeBufferPointer { w in
                                BLAS.multiplyTransposed(f.baseAddress!, rows: count, inner: win, w.baseAddress!,
                                                        columns: width, into: dst)
                            }
                        }
                    } else {
                        cut(x, frames: count, into: dst)
                    }
                }
            }
        }
        return FeatureTensor(shape: [channels.count, count, width], values: out)
    }

    /// `frames[t, k] = xpad[t·hop + k]`: interior frames are one contiguous copy, edge frames take zeros.
    func cut(_ x: UnsafeBufferPointer<Float>, frames count: Int, into dst: UnsafeMutablePointer<Float>) {
        let p = extractor.parameters
        let win = p.winLength, hop = p.hopLength, pad = p.resolvedPadding, n = x.count
        for t in 0..<count {
            let start = t * hop - pad
            let row = dst + t * win
            if start >= 0 && start + win <= n {
                row.update(from: x.baseAddress! + start, count: win)
            } else {
                for k in 0..<win {
                    let i = start + k
                    row[k] = (i >= 0 && i < n) ? x[i] : 0
                }
            }
        }
    }
}
