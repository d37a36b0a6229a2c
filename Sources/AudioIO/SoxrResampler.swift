import CSoxr
import Foundation

/// libsoxr one-shot resampling in float32: with `.hq` this is bit-exact with python-soxr's
/// `resample(x, orig, target, 'HQ')`, which is what `librosa.resample(res_type='soxr_hq')` calls.
public struct SoxrResampler: Resampler {
    public let quality: ResamplerSpec.Quality
    let recipe: UInt

    public init(quality: ResamplerSpec.Quality = .hq) throws {
        switch quality {
        case .hq: recipe = UInt(SOXR_HQ)
        case .vhq: recipe = UInt(SOXR_VHQ)
        case .mq: recipe = UInt(SOXR_MQ)
        case .lq: recipe = UInt(SOXR_LQ)
        default:
            throw AudioError.resampleFailed(backend: "soxr", reason: "quality \(quality.rawValue) is a libsamplerate converter")
        }
        self.quality = quality
    }

    public func resample(_ signal: [Float], from sourceRate: Int, to targetRate: Int) throws -> [Float] {
        guard sourceRate != targetRate else { return signal }
        let wanted = ResampleLength.outputLength(inputLength: signal.count, from: sourceRate, to: targetRate)
        // One-shot flushes the filter tail, so the buffer gets a little headroom beyond `wanted`.
        var output = [Float](repeating: 0, count: wanted + 16)
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(recipe, 0)
        var runtimeSpec = soxr_runtime_spec(1)
        var produced = 0
        let error: soxr_error_t? = signal.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                soxr_oneshot(Double(sourceRate), Double(targetRate), 1,
                             input.baseAddress, input.count, nil,
                             out.baseAddress, out.count, &produced,
                             &ioSpec, &qualitySpec, &runtimeSpec)
            }
        }
        if let error = error {
            throw AudioError.resampleFailed(backend: "soxr", reason: String(cString: error))
        }
        output.removeLast(output.count - produced)
        return output.fixedLength(wanted)
    }
}
