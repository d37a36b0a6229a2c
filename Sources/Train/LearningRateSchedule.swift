import Foundation

/// The learning rate at each optimizer step, named as PyTorch names the schedulers it matches:
/// `constant`; `cosine` = `CosineAnnealingLR(T_max = all steps after warmup, eta_min = 0)`, stepped
/// every batch; `step` = `StepLR(step_size = stepEpochs, gamma)`, stepped every epoch. A warmup of
/// `warmupEpochs` first (`LinearLR(start_factor = 1 / warmup steps)`, every batch) ramps up to the base rate.
///
/// A pure function of (epoch, batch): a resumed run needs no scheduler state beyond its position.
public struct LearningRateSchedule: Codable, Equatable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case constant, cosine, step }
    public var kind: Kind
    public var warmupEpochs: Int
    public var stepEpochs: Int
    public var gamma: Double

    public init(kind: Kind = .constant, warmupEpochs: Int = 0, stepEpochs: Int = 10, gamma: Double = 0.1) {
        self.kind = kind
        self.warmupEpochs = warmupEpochs
        self.stepEpochs = stepEpochs
        self.gamma = gamma
    }

    public func problem(epochs: Int) -> String? {
        if warmupEpochs < 0 || (warmupEpochs > 0 && warmupEpochs >= epochs) {
            return "warmup of \(warmupEpochs) epochs must be shorter than the \(epochs) epochs"
        }
        if kind == .step, stepEpochs < 1 { return "StepLR step size \(stepEpochs) must be at least 1 epoch" }
        if kind == .step, !(gamma > 0 && gamma <= 1) { return "StepLR gamma \(gamma) must be in (0, 1]" }
        return nil
    }

    /// The rate of the step that trains on batch `batch` of epoch `epoch`.
    public func rate(base: Float, epoch: Int, batch: Int, batchesPerEpoch: Int, epochs: Int) -> Float {
        let perEpoch = max(batchesPerEpoch, 1)
        let step = epoch * perEpoch + batch
        let warmup = warmupEpochs * perEpoch
        if step < warmup { return base * Float(step + 1) / Float(warmup) }
        switch kind {
        case .constant: return base
        case .step: return base * Float(pow(gamma, Double(epoch / stepEpochs)))
        case .cosine:
            let span = max(epochs * perEpoch - warmup, 1)
            return base * Float(0.5 * (1 + cos(Double.pi * Double(step - warmup) / Double(span))))
        }
    }
}
