import COpenBLAS

extension BLAS {
    /// `C = alpha · op(A) · op(B) + beta · C`, row-major, with either operand transposed: the
    /// backward passes of a dense layer need `Aᵀ·B` (weight gradients) and `A·Bᵀ` (input gradients).
    /// `op(A)` is m×k, `op(B)` k×n, `C` m×n; `a`, `b` are stored as they are before `op`.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, beta: Float = 0, into c: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }
}
