/// The mean and standard deviation of one feature column per channel and bin, accumulated row by
/// row in float64: what a trainer normalises its inputs with (`(x - mean) / std`, broadcast over
/// frames).
///
/// A row of shape `[C, T, F]` (channels, frames, bins) contributes its `T` values to each of the
/// `C x F` statistics; a `[T, F]` row counts as one channel, a `[F]` row as one frame. Each row's
/// own mean and sum of squared deviations are computed first (two passes over the row) and merged
/// into the running ones with Chan et al.'s pairwise update, so the result stays accurate over
/// millions of frames where a float32 sum, or a sum of squares minus the squared sum, would not.
/// Memory is `2 x C x F` doubles, whatever the number of rows. The deviation is the population one
/// (`numpy.std`'s default, `ddof=0`).
public struct FeatureStatistics: Sendable {
    public let column: String
    public let channels: Int
    public let frames: Int
    public let bins: Int
    /// Rows added so far.
    public private(set) var rows = 0
    /// Frames added so far (a variable-length column's rows differ).
    private var framesSeen = 0
    private var mean: [Double]
    private var m2: [Double]

    public init(column: String, rowShape: [Int]) {
        self.column = column
        let shape = rowShape.isEmpty ? [1] : rowShape
        bins = shape[shape.count - 1]
        channels = shape.count >= 3 ? shape[0] : 1
        frames = shape.count >= 3 ? shape[1..<(shape.count - 1)].reduce(1, *) : (shape.count == 2 ? shape[0] : 1)
        mean = [Double](repeating: 0, count: channels * bins)
        m2 = mean
    }

    /// Values per statistic so far (rows x frames).
    public var count: Int { framesSeen }

    /// Adds one row, flattened in C order (`channels x frames x bins` values); `frames` overrides
    /// the row shape's for a variable-length column's row.
    public mutating func add(row values: [Float], frames rowFrames: Int? = nil) {
        let frames = rowFrames ?? self.frames
        precondition(values.count == channels * frames * bins, "row of \(values.count) values for \(column)")
        let previous = Double(count)
        let added = Double(frames)
        let total = previous + added
        var rowMean = [Double](repeating: 0, count: bins)
        var rowM2 = [Double](repeating: 0, count: bins)
        for c in 0..<channels {
            for f in 0..<bins { rowMean[f] = 0; rowM2[f] = 0 }
            let base = c * frames * bins
            for t in 0..<frames {
                let offset = base + t * bins
                for f in 0..<bins { rowMean[f] += Double(values[offset + f]) }
            }
            for f in 0..<bins { rowMean[f] /= added }
            for t in 0..<frames {
                let offset = base + t * bins
                for f in 0..<bins {
                    let d = Double(values[offset + f]) - rowMean[f]
                    rowM2[f] += d * d
                }
            }
            for f in 0..<bins {
                let i = c * bins + f
                let delta = rowMean[f] - mean[i]
                mean[i] += delta * added / total
                m2[i] += rowM2[f] + delta * delta * previous * added / total
            }
        }
        rows += 1
        framesSeen += frames
    }

    /// The mean of channel `c`, bin `f` (NaN before any row).
    public func mean(channel c: Int, bin f: Int) -> Double { rows == 0 ? .nan : mean[c * bins + f] }

    /// The population standard deviation of channel `c`, bin `f` (NaN before any row).
    public func standardDeviation(channel c: Int, bin f: Int) -> Double {
        rows == 0 ? .nan : (m2[c * bins + f] / Double(count)).squareRoot()
    }
}
