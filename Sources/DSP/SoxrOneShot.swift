import CSoxr

/// libsoxr's one-shot resampler, float32 in and out, single-threaded: the one place the project
/// calls soxr. AudioIO's `SoxrResampler` (file rate → pipeline rate) and the CQT's `Downsampler`
/// (octave decimation) both come here, so both are bit-exact with python-soxr's `resample`, which is
/// what `librosa.resample(res_type='soxr_*')` calls (features.md §10.2).
///
/// One-shot creates and frees soxr's resampler per call and flushes the filter tail; the first
/// `ceil(n · out/in)` samples do not depend on how much more room the output has.
public enum SoxrOneShot {
    /// soxr's quality recipes.
    public enum Recipe: Sendable {
        case hq, vhq, mq, lq

        var value: UInt {
            switch self {
            case .hq: return UInt(SOXR_HQ)
            case .vhq: return UInt(SOXR_VHQ)
            case .mq: return UInt(SOXR_MQ)
            case .lq: return UInt(SOXR_LQ)
            }
        }
    }

    /// Resamples `input` from `inputRate` to `outputRate` into `output` (whose whole capacity soxr may
    /// use); returns how many samples soxr produced.
    public static func resample(_ input: UnsafeBufferPointer<Float>, from inputRate: Double, to outputRate: Double,
                                recipe: Recipe, into output: UnsafeMutableBufferPointer<Float>) throws -> Int {
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(recipe.value, 0)
        var runtimeSpec = soxr_runtime_spec(1)
        var produced = 0
        let error: soxr_error_t? = soxr_oneshot(inputRate, outputRate, 1,
                                                input.baseAddress, input.count, nil,
                                                output.baseAddress, output.count, &produced,
                                                &ioSpec, &qualitySpec, &runtimeSpec)
        if let error { throw DSPError(String(cString: error)) }
        return produced
    }
}
