/// One per-band statistic of a feature row, over its frames.
///
/// A feature row of shape `[C, T, F]` (channels, frames, bands — any leading dimensions count as
/// channels) gives one value per channel and band. `variance` is numpy's population variance
/// (`x.var(axis=1)`, ddof 0), as the issue asks; both are accumulated in Double.
public enum DomainStatistic: String, CaseIterable, Codable, Sendable {
    case mean
    case variance

    /// The statistics vector of one row: for each statistic of `statistics` in order, the
    /// `channels × bands` values in C order (`np.concatenate([x.mean(1).ravel(), x.var(1).ravel()])`).
    public static func vector(of row: [Float], shape: [Int], statistics: [DomainStatistic]) -> [Double] {
        let bands = shape.last ?? 1
        let frames = shape.count >= 2 ? shape[shape.count - 2] : 1
        let channels = row.count / max(1, frames * bands)
        var means = [Double](repeating: 0, count: channels * bands)
        var variances = [Double](repeating: 0, count: channels * bands)
        for channel in 0..<channels {
            for band in 0..<bands {
                var sum = 0.0
                for frame in 0..<frames { sum += Double(row[(channel * frames + frame) * bands + band]) }
                let mean = sum / Double(frames)
                var squares = 0.0
                for frame in 0..<frames {
                    let d = Double(row[(channel * frames + frame) * bands + band]) - mean
                    squares += d * d
                }
                means[channel * bands + band] = mean
                variances[channel * bands + band] = squares / Double(frames)
            }
        }
        return statistics.flatMap { $0 == .mean ? means : variances }
    }
}
