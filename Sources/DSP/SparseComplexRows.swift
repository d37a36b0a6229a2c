import Foundation

/// A complex matrix stored by rows with only its non-zero entries (CSR), float32 as librosa's
/// `scipy.sparse` basis is complex64.
public struct SparseComplexRows: Sendable {
    public let columnCount: Int
    /// Entries of row `r` are `rowStart[r] ..< rowStart[r+1]`.
    public private(set) var rowStart: [Int] = [0]
    public private(set) var column: [Int] = []
    public private(set) var re: [Float] = []
    public private(set) var im: [Float] = []

    public init(columnCount: Int) { self.columnCount = columnCount }

    public var rowCount: Int { rowStart.count - 1 }
    public var nonZeroCount: Int { column.count }
    /// Smallest and largest column with a stored entry (the FFT bins any row needs).
    public var columnRange: ClosedRange<Int> { (column.min() ?? 0)...(column.max() ?? 0) }

    /// Appends a row, keeping only the entries `util.sparsify_rows(quantile=...)` keeps: sort the
    /// magnitudes ascending, find the first index where their running share of the row's L1 mass
    /// reaches `quantile`, and keep every entry at least as large as the magnitude there. All in
    /// float32, as numpy does it on the complex64 basis.
    public mutating func appendSparsified(re rowRe: [Float], im rowIm: [Float], quantile: Double) {
        let mags = zip(rowRe, rowIm).map { hypotf($0, $1) }
        var threshold: Float = 0
        if quantile > 0 {
            let norm = Float(mags.reduce(0.0) { $0 + Double($1) })
            let sorted = mags.sorted()
            let q = Float(quantile)
            var cumulative: Float = 0
            var index = 0   // numpy's argmin of an all-False mask is 0 as well
            for (i, m) in sorted.enumerated() {
                cumulative += m / norm
                if !(cumulative < q) { index = i; break }
            }
            threshold = sorted[index]
        }
        for (c, m) in mags.enumerated() where m >= threshold && m > 0 {
            column.append(c)
            re.append(rowRe[c])
            im.append(rowIm[c])
        }
        rowStart.append(column.count)
    }

    /// Multiplies every entry of row `r` by `factors[r]` (in float64, rounded to float32).
    public mutating func scaleRows(_ factors: [Double]) {
        precondition(factors.count == rowCount)
        for r in 0..<rowCount {
            for i in rowStart[r]..<rowStart[r + 1] {
                re[i] = Float(Double(re[i]) * factors[r])
                im[i] = Float(Double(im[i]) * factors[r])
            }
        }
    }
}
