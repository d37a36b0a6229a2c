import COpenBLAS

/// The few BLAS calls the filterbanks need, on row-major Float32 matrices.
public enum BLAS {
    /// Workers are the parallelism: OpenBLAS must not start threads of its own inside each one.
    public static func useSingleThread() {
        openblas_set_num_threads(1)
    }

    /// `C[m×n] = A[m×k] · Bᵀ` where `B` is stored `[n×k]` (row-major). One call per clip applies a
    /// whole filterbank: frames × bins times (bands × bins)ᵀ.
    public static func multiplyTransposed(
        _ a: UnsafePointer<Float>, rows m: Int, inner k: Int,
        _ b: UnsafePointer<Float>, columns n: Int,
        into c: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }

    /// The float64 `C[m×n] = A[m×k] · Bᵀ` (`B` stored `[n×k]`): for products whose float32
    /// accumulation error would be too large (the MFCC's DCT, where |c_0| reaches thousands).
    public static func multiplyTransposed(
        _ a: UnsafePointer<Double>, rows m: Int, inner k: Int,
        _ b: UnsafePointer<Double>, columns n: Int,
        into c: UnsafeMutablePointer<Double>
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }

    /// `C[m×n] = A[m×k] · B[k×n]`, all row-major.
    public static func multiply(
        _ a: UnsafePointer<Float>, rows m: Int, inner k: Int,
        _ b: UnsafePointer<Float>, columns n: Int,
        into c: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, c, Int32(n))
    }
}
