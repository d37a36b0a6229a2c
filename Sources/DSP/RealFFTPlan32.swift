import CFFTW
import Foundation

/// The single-precision twin of `RealFFTPlan` (`fftwf`, for `FFTPrecision.float32`): a
/// real-to-complex plan of one size, made once under `FFTPlanCache.lock` with `FFTW_ESTIMATE` (the
/// same algorithm, so the same output bits, on every run and machine) and executed with the
/// new-array interface on each worker's own `FFTBuffers`.
public final class RealFFTPlan32: @unchecked Sendable {
    public let size: Int
    let plan: fftwf_plan

    init(size: Int) {
        self.size = size
        let input = fftwf_alloc_real(size)!
        let output = fftwf_alloc_complex(size / 2 + 1)!
        defer { fftwf_free(input); fftwf_free(output) }
        plan = fftwf_plan_dft_r2c_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE))
    }

    deinit { fftwf_destroy_plan(plan) }

    /// Transforms `buffers.input32` into `buffers.output32` (buffers made with `precision: .float32`).
    public func execute(_ buffers: FFTBuffers) {
        precondition(buffers.size == size)
        guard let input = buffers.input32, let output = buffers.output32 else {
            preconditionFailure("FFTBuffers of size \(size) were made for float64")
        }
        fftwf_execute_dft_r2c(plan, input, output)
    }
}

extension FFTPlanCache {
    nonisolated(unsafe) private static var plans32: [Int: RealFFTPlan32] = [:]

    public static func plan32(size: Int) -> RealFFTPlan32 {
        lock.lock()
        defer { lock.unlock() }
        if let plan = plans32[size] { return plan }
        let plan = RealFFTPlan32(size: size)
        plans32[size] = plan
        return plan
    }
}
