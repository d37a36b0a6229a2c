import Foundation

/// CP-JKU's Freq-MixStyle (`helpers/utils.py mixstyle`; features.md §6), on a batch `[B, C, T, F]`:
/// one draw per batch decides whether the whole batch is mixed (`rand > p` → unchanged); then per
/// row and frequency bin the mean and **unbiased** variance over channels and time, `σ = √(var+eps)`,
/// a λ per row from Beta(α, α) (no max(λ, 1-λ)) and a permutation that may map i to i:
/// `x̂ = (x-μ)/σ · (λσ + (1-λ)σ[perm]) + λμ + (1-λ)μ[perm]`. Labels are not mixed.
public struct FreqMixStyle: Sendable {
    public struct Parameters: Codable, Equatable, Sendable {
        /// dcase23 `run_training.py` / dcase24 baseline: p 0.4, alpha 0.3.
        public var p: Double = 0.4
        public var alpha: Double = 0.3
        public var eps: Double = 1e-6
        public init() {}
        public init(p: Double, alpha: Double, eps: Double = 1e-6) {
            self.p = p
            self.alpha = alpha
            self.eps = eps
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            p = try c.decodeIfPresent(Double.self, forKey: .p) ?? 0.4
            alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? 0.3
            eps = try c.decodeIfPresent(Double.self, forKey: .eps) ?? 1e-6
            guard (0...1).contains(p) else { throw AugmentError("freq_mixstyle.p \(p) is not a probability in [0, 1]") }
            guard alpha > 0, alpha.isFinite else { throw AugmentError("freq_mixstyle.alpha \(alpha) must be > 0") }
            guard eps >= 0 else { throw AugmentError("freq_mixstyle.eps must be >= 0") }
        }
    }

    /// What one batch drew: whether it was mixed, λ per row (float32, as torch) and the permutation.
    public struct Draw: Codable, Equatable, Sendable {
        public var applied: Bool
        public var lambdas: [Float]
        public var permutation: [Int]
        public init(applied: Bool, lambdas: [Float], permutation: [Int]) {
            self.applied = applied
            self.lambdas = lambdas
            self.permutation = permutation
        }
    }

    public static let name = "freq_mixstyle"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    /// Draws in the reference's order: the gate, then λ for every row, then the permutation.
    public func draw(rows: Int, random: inout AugmentRandom) -> Draw {
        let u = random.uniform()
        guard u <= parameters.p else { return Draw(applied: false, lambdas: [], permutation: []) }
        let lambdas = (0..<rows).map { _ in Float(random.beta(parameters.alpha, parameters.alpha)) }
        return Draw(applied: true, lambdas: lambdas, permutation: random.permutation(rows))
    }

    public func apply(to batch: inout Batch, random: inout AugmentRandom) throws -> Draw {
        let d = draw(rows: batch.rows, random: &random)
        try apply(d, to: &batch)
        return d
    }

    /// Mixes with given draws (the numpy port in `acousticpipe.augment` takes the same).
    public func apply(_ draw: Draw, to batch: inout Batch) throws {
        guard draw.applied else { return }
        let (B, C, T, F) = (batch.rows, batch.channels, batch.frames, batch.bins)
        guard draw.lambdas.count == B, draw.permutation.count == B, Set(draw.permutation) == Set(0..<B) else {
            throw AugmentError("freq_mixstyle: the draw is for \(draw.lambdas.count) rows, the batch has \(B)")
        }
        let n = C * T
        guard n > 1 else { throw AugmentError("freq_mixstyle: an unbiased variance needs C·T > 1, the batch has \(C)·\(T)") }
        var mu = [Float](repeating: 0, count: B * F)
        var sig = [Float](repeating: 0, count: B * F)
        batch.values.withUnsafeBufferPointer { v in
            var sum = [Double](repeating: 0, count: F)
            var sq = [Double](repeating: 0, count: F)
            for b in 0..<B {
                for f in 0..<F { sum[f] = 0; sq[f] = 0 }
                for ct in 0..<n {
                    let base = (b * n + ct) * F
                    for f in 0..<F { sum[f] += Double(v[base + f]) }
                }
                for f in 0..<F { sum[f] /= Double(n) }
                for ct in 0..<n {
                    let base = (b * n + ct) * F
                    for f in 0..<F { let d = Double(v[base + f]) - sum[f]; sq[f] += d * d }
                }
                for f in 0..<F {
                    mu[b * F + f] = Float(sum[f])
                    sig[b * F + f] = Float((Double(Float(sq[f] / Double(n - 1))) + parameters.eps).squareRoot())
                }
            }
        }
        let original = batch.values
        batch.values.withUnsafeMutableBufferPointer { out in
            original.withUnsafeBufferPointer { v in
                var scale = [Float](repeating: 0, count: F)
                var shift = [Float](repeating: 0, count: F)
                var m = [Float](repeating: 0, count: F)
                var s = [Float](repeating: 0, count: F)
                for b in 0..<B {
                    let lam = draw.lambdas[b]
                    let j = draw.permutation[b]
                    for f in 0..<F {
                        m[f] = mu[b * F + f]
                        s[f] = sig[b * F + f]
                        scale[f] = s[f] * lam + sig[j * F + f] * (1 - lam)
                        shift[f] = m[f] * lam + mu[j * F + f] * (1 - lam)
                    }
                    for ct in 0..<n {
                        let base = (b * n + ct) * F
                        for f in 0..<F { out[base + f] = (v[base + f] - m[f]) / s[f] * scale[f] + shift[f] }
                    }
                }
            }
        }
    }
}
