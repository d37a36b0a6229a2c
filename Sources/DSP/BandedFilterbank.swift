import COpenBLAS

/// A filterbank whose rows are non-zero only over a contiguous run of bins (mel triangles), applied
/// as a few sgemms over the non-zero column span of each group of consecutive rows instead of one
/// dense sgemm over all bins.
///
/// A 128-band mel bank over 257 bins is ~95 % zeros; grouping 16 bands per sgemm skips most of them
/// and cuts the product's cost by about an order of magnitude while summing exactly the same
/// non-zero terms (only the summation order inside BLAS may differ, at float32 rounding level).
public struct BandedFilterbank: Sendable {
    public let rows: Int
    public let columns: Int
    /// Row-major `[rows, columns]`, as given.
    public let weights: [Float]
    /// Per group: first row, row count, first non-zero column, column span (0 if all rows are zero).
    let groups: [(row: Int, count: Int, column: Int, span: Int)]

    public init(weights: [Float], rows: Int, columns: Int, groupSize: Int = 16) {
        precondition(weights.count == rows * columns)
        var groups: [(row: Int, count: Int, column: Int, span: Int)] = []
        var r = 0
        while r < rows {
            let count = min(groupSize, rows - r)
            var lo = columns, hi = -1
            for i in r..<(r + count) {
                for k in 0..<columns where weights[i * columns + k] != 0 {
                    lo = min(lo, k)
                    hi = max(hi, k)
                }
            }
            groups.append(hi < 0 ? (r, count, 0, 0) : (r, count, lo, hi - lo + 1))
            r += count
        }
        self.rows = rows
        self.columns = columns
        self.weights = weights
        self.groups = groups
    }

    public init(_ mel: MelFilterbank, groupSize: Int = 16) {
        self.init(weights: mel.weights, rows: mel.nMels, columns: mel.binCount, groupSize: groupSize)
    }

    /// `out[frames, rows] = spectrum[frames, columns] · Wᵀ`.
    public func apply(_ spectrum: UnsafePointer<Float>, frames: Int, into out: UnsafeMutablePointer<Float>) {
        guard frames > 0 else { return }
        weights.withUnsafeBufferPointer { w in
            for g in groups {
                if g.span == 0 {
                    for t in 0..<frames { (out + t * rows + g.row).update(repeating: 0, count: g.count) }
                    continue
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(frames), Int32(g.count), Int32(g.span),
                            1, spectrum + g.column, Int32(columns),
                            w.baseAddress! + g.row * columns + g.column, Int32(columns),
                            0, out + g.row, Int32(rows))
            }
        }
    }
}
