import ConfigCoding
import Foundation

/// ESTM's TriStat-Gating (TSG) module, Eq. 1 of seed 002 (features.md §5):
/// `gate_t = σ(α·(M_t + R_t + V_t − μ))`, with the median `M`, root mean square `R` and variance `V`
/// of frame `t` taken over the mel axis, `μ` a de-centring mean and `α > 0` a scale.
///
/// The paper leaves four choices open; each is a parameter, and the defaults are a consistent,
/// documented reading (docs/accuracy-b.md): numpy's median and population variance, `μ` the
/// mean of `M+R+V` over the clip's frames (so the gate is centred on σ(0) = 0.5 on average).
/// Statistics are computed in float64 from the float32 spectrogram.
public struct TriStatGate: Codable, Equatable, Sendable {
    /// Median of an even number of values.
    public enum Median: String, Codable, Sendable {
        /// `np.median`: the mean of the two middle values.
        case numpy
        /// `torch.median`: the lower of the two middle values.
        case torch
    }

    /// What `μ` is.
    public enum Mu: String, Codable, Sendable {
        /// Mean of `M+R+V` over the clip's frames (per channel).
        case clip
        /// A fixed value `mu_value` (e.g. a dataset mean computed elsewhere).
        case fixed
    }

    public var alpha: Double = 2
    public var median: Median = .numpy
    /// Delta degrees of freedom of the variance: 0 is `np.var` / `torch.var(unbiased=False)`, 1 is `torch.var`'s default.
    public var ddof: Int = 0
    public var mu: Mu = .clip
    public var muValue: Double = 0

    public init(alpha: Double = 2, median: Median = .numpy, ddof: Int = 0, mu: Mu = .clip, muValue: Double = 0) {
        self.alpha = alpha
        self.median = median
        self.ddof = ddof
        self.mu = mu
        self.muValue = muValue
    }

    enum CodingKeys: String, CodingKey { case alpha, median, ddof, mu, muValue = "mu_value" }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: Self())
        try Self.decodeFields(&f)
        self = try f.finish()
    }

    /// Reads the gate's keys (also from an ESgram entry, which flattens them beside the log-mel's).
    static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try f.decode("alpha", \.alpha)
        try f.decode("median", \.median)
        try f.decode("ddof", \.ddof)
        try f.decode("mu", \.mu)
        try f.decode("mu_value", \.muValue)
    }

    /// `M + R + V` of one frame of `count` values; `scratch` (≥ `count` floats) receives a sorted copy.
    public func statistic(_ x: UnsafePointer<Float>, count: Int, scratch: UnsafeMutablePointer<Float>) -> Double {
        var sum = 0.0, squares = 0.0
        for i in 0..<count {
            let v = Double(x[i])
            sum += v
            squares += v * v
            scratch[i] = x[i]
        }
        let mean = sum / Double(count)
        var centred = 0.0
        for i in 0..<count {
            let d = Double(x[i]) - mean
            centred += d * d
        }
        var sorted = UnsafeMutableBufferPointer(start: scratch, count: count)
        sorted.sort()
        let med: Double
        if count % 2 == 1 {
            med = Double(sorted[count / 2])
        } else if median == .numpy {
            med = (Double(sorted[count / 2 - 1]) + Double(sorted[count / 2])) / 2
        } else {
            med = Double(sorted[count / 2 - 1])
        }
        let rms = (squares / Double(count)).squareRoot()
        let variance = count > ddof ? centred / Double(count - ddof) : .nan
        return med + rms + variance
    }

    /// The statistics `s_t` of `frames` rows of `bins` values (row-major) into `stats`.
    public func statistics(_ values: UnsafePointer<Float>, frames: Int, bins: Int,
                           scratch: UnsafeMutablePointer<Float>, into stats: UnsafeMutablePointer<Double>) {
        for t in 0..<frames {
            stats[t] = statistic(values + t * bins, count: bins, scratch: scratch)
        }
    }

    /// Turns `stats` into gates in place: `σ(α(s_t − μ))`.
    public func gates(_ stats: UnsafeMutableBufferPointer<Double>) {
        guard !stats.isEmpty else { return }
        let centre: Double
        switch mu {
        case .clip: centre = stats.reduce(0, +) / Double(stats.count)
        case .fixed: centre = muValue
        }
        for t in stats.indices {
            stats[t] = 1 / (1 + exp(-alpha * (stats[t] - centre)))
        }
    }
}
