import CFFTW
import Foundation

/// Linear convolution through FFTW: a forward real-to-complex and an inverse complex-to-real plan of
/// one size, made once (`FFTW_ESTIMATE`, so every output bit is the same on every run and machine)
/// and executed with the new-array interface on each caller's own buffers, so workers share it.
///
/// Double precision: `scipy.signal.convolve(x, h, 'full')` on float32 input agrees with it to ~1e-6
/// relative (features.md §7.1); double keeps the FFT's rounding far below that.
public final class FFTConvolution: @unchecked Sendable {
    public let size: Int
    let forward: fftw_plan
    let inverse: fftw_plan

    init(size: Int) {
        self.size = size
        let real = fftw_alloc_real(size)!
        let complex = fftw_alloc_complex(size / 2 + 1)!
        defer { fftw_free(real); fftw_free(complex) }
        forward = fftw_plan_dft_r2c_1d(Int32(size), real, complex, UInt32(FFTW_ESTIMATE))
        inverse = fftw_plan_dft_c2r_1d(Int32(size), complex, real, UInt32(FFTW_ESTIMATE))
    }

    deinit {
        fftw_destroy_plan(forward)
        fftw_destroy_plan(inverse)
    }

    /// Plans by size, made once per process under the lock every FFTW planner call takes
    /// (`FFTPlanCache.lock`: FFTW's planner is not thread-safe, even across plan kinds).
    public static func plan(size: Int) -> FFTConvolution {
        FFTPlanCache.lock.lock()
        defer { FFTPlanCache.lock.unlock() }
        if let plan = plans[size] { return plan }
        let plan = FFTConvolution(size: size)
        plans[size] = plan
        return plan
    }

    nonisolated(unsafe) private static var plans: [Int: FFTConvolution] = [:]

    /// The smallest size ≥ `n` whose only prime factors are 2, 3 and 5 (FFTW is fastest on those).
    public static func fastSize(atLeast n: Int) -> Int {
        var best = 1
        while best < n { best *= 2 }
        var p5 = 1
        while p5 < 2 * n {
            var p35 = p5
            while p35 < 2 * n {
                var m = p35
                while m < n { m *= 2 }
                best = min(best, m)
                p35 *= 3
            }
            p5 *= 5
        }
        return best
    }

    /// The spectrum (`size/2+1` complex values, interleaved re, im) of `signal` zero-padded to `size`.
    public func spectrum(of signal: UnsafeBufferPointer<Float>) -> [Double] {
        precondition(signal.count <= size)
        let buffers = FFTBuffers(size: size)
        for i in 0..<signal.count { buffers.input[i] = Double(signal[i]) }
        fftw_execute_dft_r2c(forward, buffers.input, buffers.output)
        var out = [Double](repeating: 0, count: 2 * (size / 2 + 1))
        for k in 0..<(size / 2 + 1) {
            out[2 * k] = buffers.output[k].0
            out[2 * k + 1] = buffers.output[k].1
        }
        return out
    }

    /// `(x ⊛ h)[0..<x.count]`, written over `x`, with `h` given by its spectrum at this size
    /// (`spectrum(of:)`). The size must be ≥ `x.count + h.count - 1` (no circular wrap-around).
    public func convolveTruncated(_ x: UnsafeMutableBufferPointer<Float>, responseSpectrum h: UnsafeBufferPointer<Double>,
                                  buffers: FFTBuffers) {
        precondition(buffers.size == size && x.count <= size && h.count == 2 * (size / 2 + 1))
        for i in 0..<x.count { buffers.input[i] = Double(x[i]) }
        for i in x.count..<size { buffers.input[i] = 0 }
        fftw_execute_dft_r2c(forward, buffers.input, buffers.output)
        for k in 0..<(size / 2 + 1) {
            let (a, b) = (buffers.output[k].0, buffers.output[k].1)
            let (c, d) = (h[2 * k], h[2 * k + 1])
            buffers.output[k].0 = a * c - b * d
            buffers.output[k].1 = a * d + b * c
        }
        fftw_execute_dft_c2r(inverse, buffers.output, buffers.input)
        let scale = 1 / Double(size)
        for i in 0..<x.count { x[i] = Float(buffers.input[i] * scale) }
    }
}
