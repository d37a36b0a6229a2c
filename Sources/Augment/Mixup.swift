/// mixup (Zhang et al. 2018; features.md §9) on a batch of waveforms or spectrograms with soft
/// targets: `x̃ = λx_i + (1-λ)x_perm(i)`, `ỹ = λy_i + (1-λ)y_perm(i)`.
/// CP-JKU / EfficientAT: one λ per row, `λ = max(λ, 1-λ)` (the defaults); SPSMR / Zhang: one λ per
/// batch (`lambda: per_batch`, `max_lambda: false`, alpha 0.2). Mixing dB features is not mixing
/// power: the domain is the caller's choice and should be recorded with it.
public struct Mixup: Sendable {
    public enum LambdaMode: String, Codable, Sendable {
        case perSample = "per_sample"
        case perBatch = "per_batch"
    }

    public struct Parameters: Codable, Equatable, Sendable {
        public var alpha: Double = 0.3
        public var lambda: LambdaMode = .perSample
        /// CP-JKU's `λ = max(λ, 1-λ)`, so each row stays mostly itself.
        public var maxLambda: Bool = true
        public init() {}
        public init(alpha: Double, lambda: LambdaMode = .perSample, maxLambda: Bool = true) {
            self.alpha = alpha
            self.lambda = lambda
            self.maxLambda = maxLambda
        }
        enum CodingKeys: String, CodingKey { case alpha, lambda, maxLambda = "max_lambda" }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? 0.3
            lambda = try c.decodeIfPresent(LambdaMode.self, forKey: .lambda) ?? .perSample
            maxLambda = try c.decodeIfPresent(Bool.self, forKey: .maxLambda) ?? true
            guard alpha > 0, alpha.isFinite else { throw AugmentError("mixup.alpha \(alpha) must be > 0") }
        }
    }

    /// λ per row (float32) and each row's partner.
    public struct Draw: Codable, Equatable, Sendable {
        public var lambdas: [Float]
        public var permutation: [Int]
        public init(lambdas: [Float], permutation: [Int]) {
            self.lambdas = lambdas
            self.permutation = permutation
        }
    }

    public static let name = "mixup"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    /// Draws in CP-JKU's order: the permutation, then the λs.
    public func draw(rows: Int, random: inout AugmentRandom) -> Draw {
        let permutation = random.permutation(rows)
        var lambdas: [Float]
        switch parameters.lambda {
        case .perSample: lambdas = (0..<rows).map { _ in Float(random.beta(parameters.alpha, parameters.alpha)) }
        case .perBatch: lambdas = Array(repeating: Float(random.beta(parameters.alpha, parameters.alpha)), count: rows)
        }
        if parameters.maxLambda { lambdas = lambdas.map { max($0, 1 - $0) } }
        return Draw(lambdas: lambdas, permutation: permutation)
    }

    /// Mixes `batch` and its soft targets `[B, K]` (row-major) in place and returns the draw.
    public func apply(to batch: inout Batch, targets: inout [Float], random: inout AugmentRandom) throws -> Draw {
        let d = draw(rows: batch.rows, random: &random)
        try apply(d, to: &batch, targets: &targets)
        return d
    }

    public func apply(_ draw: Draw, to batch: inout Batch, targets: inout [Float]) throws {
        let B = batch.rows
        guard draw.lambdas.count == B, draw.permutation.count == B, Set(draw.permutation) == Set(0..<B) else {
            throw AugmentError("mixup: the draw is for \(draw.lambdas.count) rows, the batch has \(B)")
        }
        guard B == 0 || targets.count % B == 0 else {
            throw AugmentError("mixup: \(targets.count) target values do not split into \(B) rows")
        }
        Mixup.mix(&batch.values, rowSize: batch.rowSize, draw)
        if B > 0 { Mixup.mix(&targets, rowSize: targets.count / B, draw) }
    }

    static func mix(_ values: inout [Float], rowSize: Int, _ draw: Draw) {
        let original = values
        values.withUnsafeMutableBufferPointer { out in
            original.withUnsafeBufferPointer { v in
                for b in draw.lambdas.indices {
                    let (lam, j) = (draw.lambdas[b], draw.permutation[b])
                    let (i0, j0) = (b * rowSize, j * rowSize)
                    for k in 0..<rowSize { out[i0 + k] = v[i0 + k] * lam + v[j0 + k] * (1 - lam) }
                }
            }
        }
    }

    /// One-hot soft targets `[B, classes]` from class indices; an unlabeled row (-1) cannot be mixed.
    public static func softTargets(labels: [Int], classes: Int) throws -> [Float] {
        var out = [Float](repeating: 0, count: labels.count * classes)
        for (i, l) in labels.enumerated() {
            guard (0..<classes).contains(l) else { throw AugmentError("mixup: row \(i) has label \(l), not a class in 0..<\(classes)") }
            out[i * classes + l] = 1
        }
        return out
    }
}
