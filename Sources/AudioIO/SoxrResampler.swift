import DSP
import Foundation

/// libsoxr resampling in float32, fed in chunks of 48,000 output samples as python-soxr does (DSP's
/// `SoxrChunked`; bit-identical to `SoxrOneShot` and faster): with `.hq` this is bit-exact with
/// python-soxr's `resample(x, orig, target, 'HQ')`, which is what `librosa.resample(res_type='soxr_hq')` calls.
public struct SoxrResampler: Resampler {
    public let quality: ResamplerSpec.Quality
    let recipe: SoxrOneShot.Recipe

    public init(quality: ResamplerSpec.Quality = .hq) throws {
        switch quality {
        case .hq: recipe = .hq
        case .vhq: recipe = .vhq
        case .mq: recipe = .mq
        case .lq: recipe = .lq
        default:
            throw AudioError.resampleFailed(backend: "soxr", reason: "quality \(quality.rawValue) is a libsamplerate converter")
        }
        self.quality = quality
    }

    public func resample(_ signal: [Float], from sourceRate: Int, to targetRate: Int) throws -> [Float] {
        guard sourceRate != targetRate else { return signal }
        let wanted = ResampleLength.outputLength(inputLength: signal.count, from: sourceRate, to: targetRate)
        // The last call flushes the filter tail, so the buffer gets a little headroom beyond `wanted`;
        // it is not zero-filled first (soxr writes every sample that is kept).
        var output: [Float]
        do {
            output = try signal.withUnsafeBufferPointer { input in
                try [Float](unsafeUninitializedCapacity: wanted + 16) { out, count in
                    count = try SoxrChunked.resample(input, from: Double(sourceRate), to: Double(targetRate), recipe: recipe, into: out)
                }
            }
        } catch let failure as DSPError {
            throw AudioError.resampleFailed(backend: "soxr", reason: failure.description)
        }
        // `fix_length` to `wanted` in place (no copy): drop the flushed tail, or zero-pad a short output.
        if output.count > wanted {
            output.removeLast(output.count - wanted)
        } else {
            output.append(contentsOf: repeatElement(0, count: wanted - output.count))
        }
        return output
    }
}
