import CSampleRate
import Foundation

/// libsamplerate (Secret Rabbit Code) `src_simple`, as python-samplerate's `resample` calls it,
/// followed by librosa's `fix_length` (SRC often returns one frame fewer than `ceil(n·ratio)`).
public struct SampleRateResampler: Resampler {
    public let quality: ResamplerSpec.Quality
    let converter: Int32

    public init(quality: ResamplerSpec.Quality = .sincBest) throws {
        switch quality {
        case .sincBest: converter = Int32(SRC_SINC_BEST_QUALITY)
        case .sincMedium: converter = Int32(SRC_SINC_MEDIUM_QUALITY)
        case .sincFastest: converter = Int32(SRC_SINC_FASTEST)
        default:
            throw AudioError.resampleFailed(backend: "libsamplerate", reason: "quality \(quality.rawValue) is a soxr recipe")
        }
        self.quality = quality
    }

    public func resample(_ signal: [Float], from sourceRate: Int, to targetRate: Int) throws -> [Float] {
        guard sourceRate != targetRate else { return signal }
        let wanted = ResampleLength.outputLength(inputLength: signal.count, from: sourceRate, to: targetRate)
        var output = [Float](repeating: 0, count: wanted)
        var generated = 0
        let status: Int32 = signal.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var data = SRC_DATA()
                data.data_in = input.baseAddress
                data.input_frames = input.count
                data.data_out = out.baseAddress
                data.output_frames = out.count
                data.src_ratio = Double(targetRate) / Double(sourceRate)
                data.end_of_input = 1
                let status = src_simple(&data, converter, 1)
                generated = data.output_frames_gen
                return status
            }
        }
        guard status == 0 else {
            throw AudioError.resampleFailed(backend: "libsamplerate", reason: String(cString: src_strerror(status)))
        }
        output.removeLast(output.count - generated)
        return output.fixedLength(wanted)
    }
}
