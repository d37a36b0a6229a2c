import Foundation

/// Decimation by a power of two exactly as librosa's constant-Q transform does it:
/// `librosa.resample(y, orig_sr=factor, target_sr=1, res_type='soxr_hq', scale=True)`
/// (features.md §1.7.1 and §1.8).
///
/// That is three steps, each of which changes numbers if it is skipped:
/// 1. libsoxr HQ one-shot, float32 in and out (bit-exact with python-soxr, §10.2);
/// 2. `fix_length` to `ceil(n / factor)`: zero-pad or truncate the end;
/// 3. `scale=True`: divide by `sqrt(1/factor)`. numpy does this division in float64 (the divisor
///    is a float64 scalar) and rounds the quotient to float32, so we do the same.
///
/// The soxr call is `SoxrOneShot`'s, shared with AudioIO's resampler. It is stateless: soxr's
/// one-shot creates and frees its resampler per call, which is once per octave per clip, never
/// per frame.
public enum Downsampler {
    /// Output length of `librosa.resample(..., fix=True)` for a decimation by `factor`:
    /// `ceil(n * (1/factor))`, computed like numpy in float64.
    public static func outputLength(inputLength n: Int, factor: Int) -> Int {
        Int((Double(n) * (1.0 / Double(factor))).rounded(.up))
    }

    /// Decimates `input` by `factor` (a power of two ≥ 2) into `output`, which grows if it is too
    /// small and is otherwise reused. Returns the number of valid samples written (`outputLength`).
    @discardableResult
    public static func downsample(_ input: UnsafeBufferPointer<Float>, factor: Int,
                                  into output: inout [Float]) throws -> Int {
        precondition(factor >= 2 && factor & (factor - 1) == 0, "factor must be a power of two ≥ 2, not \(factor)")
        let wanted = outputLength(inputLength: input.count, factor: factor)
        guard wanted > 0 else { return 0 }
        // One-shot flushes the filter tail, so the buffer gets headroom beyond `wanted`: soxr's
        // first `wanted` samples do not depend on how many more it is allowed to write.
        let capacity = wanted + 16
        if output.count < capacity { output = [Float](repeating: 0, count: capacity) }
        let produced = try output.withUnsafeMutableBufferPointer { out in
            try SoxrOneShot.resample(input, from: Double(factor), to: 1.0, recipe: .hq,
                                     into: UnsafeMutableBufferPointer(rebasing: out[0..<capacity]))
        }
        let divisor = (1.0 / Double(factor)).squareRoot()
        output.withUnsafeMutableBufferPointer { out in
            let valid = min(produced, wanted)
            for i in 0..<valid { out[i] = Float(Double(out[i]) / divisor) }
            for i in valid..<wanted { out[i] = 0 }
        }
        return wanted
    }
}
