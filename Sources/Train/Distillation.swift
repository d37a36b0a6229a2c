import Foundation

/// Knowledge distillation as seed 001 (DS-FlexiNet) Eq. 5 weighs it:
/// `Loss = λ · Loss_label + (1 − λ) · Loss_kd`.
///
/// `Loss_label` is the cross-entropy of the student's softmax against the hard label. `Loss_kd`
/// compares the teacher's soft targets (`/targets/<targets>`, probabilities — `pipe labels
/// teachers` writes them already softened, softmax(h / T)) with the student's softmax at
/// `temperature`, as KL(teacher ‖ student_T) · T²: the paper calls it a cross-entropy, which differs
/// from the KL divergence by the teacher's entropy, a constant with no gradient; the KL is reported
/// because it is 0 when the student matches the teacher. The T² factor (Hinton et al. 2015) keeps
/// the soft term's gradient on the scale of the hard one's as T grows. The paper updates λ during
/// training without saying how; here it is a fixed option.
public struct Distillation: Codable, Equatable, Hashable, Sendable {
    /// The soft-target column's name under `targets/`.
    public var targets: String
    /// Eq. 5's λ: the weight of the hard-label loss.
    public var lambda: Double
    public var temperature: Double

    public init(targets: String, lambda: Double = 0.5, temperature: Double = 1) {
        self.targets = targets
        self.lambda = lambda
        self.temperature = temperature
    }

    public var validationProblem: String? {
        if targets.isEmpty || targets.contains("/") { return "distillation targets '\(targets)' must be a plain name under targets/" }
        if !(0...1).contains(lambda) { return "distillation lambda \(lambda) must be in [0, 1]" }
        if !(temperature > 0 && temperature.isFinite) { return "distillation temperature \(temperature) must be positive" }
        return nil
    }

    /// The mean loss over the batch and its gradient with respect to the student's logits:
    /// `λ (p − y) / B + (1 − λ) · T · (q_T − p_teacher) / B`.
    public func loss(logits: [Float], labels: [Int32], teacher: [Float], classes: Int) -> (loss: Double, gradient: [Float]) {
        let rows = logits.count / classes
        let hard = SoftmaxCrossEntropy.loss(logits: logits, targets: SoftmaxCrossEntropy.oneHot(labels, classes: classes), classes: classes)
        let t = Float(temperature)
        let soft = SoftmaxCrossEntropy.probabilities(logits.map { $0 / t }, classes: classes)
        var kl = 0.0
        var gradient = hard.gradient
        let (a, b) = (Float(lambda), Float(1 - lambda))
        for k in logits.indices {
            let target = Double(teacher[k])
            if target > 0 { kl += target * (log(target) - log(max(Double(soft[k]), 1e-12))) }
            gradient[k] = a * hard.gradient[k] + b * t * (soft[k] - teacher[k]) / Float(rows)
        }
        let loss = lambda * hard.loss + (1 - lambda) * temperature * temperature * kl / Double(rows)
        return (loss, gradient)
    }
}
