import CFFTW
import Foundation

/// A real-to-complex FFTW plan of one size, made once and shared by every worker thread.
///
/// FFTW's planner is not thread-safe but executing a plan is: plans are created under one lock
/// (`FFTPlanCache`) and executed with the new-array interface on each worker's own buffers.
/// Plans use `FFTW_ESTIMATE` so that the algorithm, and therefore every output bit, is the same
/// on every run and machine (`FFTW_MEASURE` picks codelets by timing).
///
/// Double precision: librosa runs its FFT in float64 (features.md §1.2); a float64 rfft cast to
/// complex64 matches it bit-exactly.
public final class RealFFTPlan: @unchecked Sendable {
    public let size: Int
    let plan: fftw_plan

    init(size: Int) {
        self.size = size
        let input = fftw_alloc_real(size)!
        let output = fftw_alloc_complex(size / 2 + 1)!
        defer { fftw_free(input); fftw_free(output) }
        plan = fftw_plan_dft_r2c_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE))
    }

    deinit { fftw_destroy_plan(plan) }

    /// Transforms `input` (`size` reals) into `output` (`size/2+1` complex values). Both buffers must
    /// come from `FFTBuffers` (FFTW-aligned), as the plan was made for aligned arrays.
    public func execute(_ buffers: FFTBuffers) {
        precondition(buffers.size == size)
        fftw_execute_dft_r2c(plan, buffers.input, buffers.output)
    }
}

/// One worker's FFTW-aligned scratch buffers for a plan size; allocated once, reused for every frame.
/// With `precision: .float32` it also holds the single-precision pair `RealFFTPlan32` transforms.
public final class FFTBuffers {
    public let size: Int
    public let input: UnsafeMutablePointer<Double>
    public let output: UnsafeMutablePointer<fftw_complex>
    public let input32: UnsafeMutablePointer<Float>?
    public let output32: UnsafeMutablePointer<fftwf_complex>?

    public init(size: Int, precision: FFTPrecision = .float64) {
        self.size = size
        input = fftw_alloc_real(size)!
        output = fftw_alloc_complex(size / 2 + 1)!
        input.initialize(repeating: 0, count: size)
        if precision == .float32 {
            let real = fftwf_alloc_real(size)!
            real.initialize(repeating: 0, count: size)
            input32 = real
            output32 = fftwf_alloc_complex(size / 2 + 1)!
        } else {
            input32 = nil
            output32 = nil
        }
    }

    deinit {
        fftw_free(input)
        fftw_free(output)
        if let input32 { fftwf_free(input32) }
        if let output32 { fftwf_free(output32) }
    }

    /// Real and imaginary part of bin `k` of the last transform.
    @inline(__always) public func bin(_ k: Int) -> (re: Double, im: Double) {
        (output[k].0, output[k].1)
    }
}

/// Plans by size, made once per process.
public enum FFTPlanCache {
    /// Held by every FFTW planner call of the process (also `FFTConvolution`'s): the planner is not thread-safe.
    static let lock = NSLock()
    nonisolated(unsafe) private static var plans: [Int: RealFFTPlan] = [:]

    public static func plan(size: Int) -> RealFFTPlan {
        lock.lock()
        defer { lock.unlock() }
        if let plan = plans[size] { return plan }
        let plan = RealFFTPlan(size: size)
        plans[size] = plan
        return plan
    }
}
