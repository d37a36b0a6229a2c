import CSoxr

/// libsoxr fed in chunks, float32 in and out, single-threaded: what python-soxr's `resample()` does
/// (and so `librosa.resample(res_type='soxr_*')`), and how AudioIO's `SoxrResampler` resamples files.
///
/// WHY chunks: `soxr_oneshot` on a whole 10-s clip hands soxr one 480,000-sample block, which runs
/// about 1.5x slower than the same resampler fed 48,000 output samples' worth per `soxr_process`
/// call (the working set stays in cache). The output is bit-identical to `SoxrOneShot`'s (the filter
/// state carries across calls; `SoxrChunkedTests` checks it), so this is a speed change only.
public enum SoxrChunked {
    /// Output samples per `soxr_process` call, as python-soxr.
    public static let outputChunk = 48_000

    /// Resamples `input` from `inputRate` to `outputRate` into `output` (whose whole capacity soxr may
    /// use), then flushes the filter tail; returns how many samples soxr produced.
    public static func resample(_ input: UnsafeBufferPointer<Float>, from inputRate: Double, to outputRate: Double,
                                recipe: SoxrOneShot.Recipe, into output: UnsafeMutableBufferPointer<Float>) throws -> Int {
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(recipe.value, 0)
        var runtimeSpec = soxr_runtime_spec(1)
        var error: soxr_error_t?
        guard let soxr = soxr_create(inputRate, outputRate, 1, &error, &ioSpec, &qualitySpec, &runtimeSpec) else {
            throw DSPError(error.map { String(cString: $0) } ?? "soxr_create failed")
        }
        defer { soxr_delete(soxr) }
        let chunk = max(1, Int(Double(outputChunk) * inputRate / outputRate))
        var produced = 0, consumed = 0
        // A last call with no input (nil) flushes what the filter still holds.
        repeat {
            let take = min(chunk, input.count - consumed)
            var done = 0
            let from = take > 0 ? input.baseAddress.map { UnsafeRawPointer($0 + consumed) } : nil
            error = soxr_process(soxr, from, take, nil, output.baseAddress.map { UnsafeMutableRawPointer($0 + produced) },
                                 output.count - produced, &done)
            if let error { throw DSPError(String(cString: error)) }
            produced += done
            consumed += take
            if take == 0 { break }
        } while true
        return produced
    }
}
