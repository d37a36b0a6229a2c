/// The model's input: per channel and frequency band, the mean and standard deviation over time
/// of a [C, T, F] feature (2·C·F values per clip).
///
/// Why statistics and not the spectrogram: a scene's band energy profile and its variability
/// already separate many classes, the dimension drops from C·T·F (32,064 for [1, 501, 64]) to
/// 2·C·F (128), and a dense layer on them trains fast on two cores.
public enum BandStatistics {
    public static func width(featureShape: [Int]) -> Int { 2 * featureShape[0] * featureShape[2] }

    /// `features` is [B, C, T, F]; the result is [B, 2·C·F]: means (c, f order), then deviations.
    public static func compute(_ features: [Float], shape: [Int]) -> [Float] {
        let (batch, channels, frames, bands) = (shape[0], shape[1], shape[2], shape[3])
        let half = channels * bands
        var out = [Float](repeating: 0, count: batch * 2 * half)
        for b in 0..<batch {
            for c in 0..<channels {
                let base = (b * channels + c) * frames * bands
                var sum = [Double](repeating: 0, count: bands)
                var squares = [Double](repeating: 0, count: bands)
                for t in 0..<frames {
                    let row = base + t * bands
                    for f in 0..<bands {
                        let v = Double(features[row + f])
                        sum[f] += v
                        squares[f] += v * v
                    }
                }
                for f in 0..<bands {
                    let mean = sum[f] / Double(frames)
                    let variance = max(0, squares[f] / Double(frames) - mean * mean)
                    out[b * 2 * half + c * bands + f] = Float(mean)
                    out[b * 2 * half + half + c * bands + f] = Float(variance.squareRoot())
                }
            }
        }
        return out
    }
}
