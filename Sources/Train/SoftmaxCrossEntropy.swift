import Foundation

/// Softmax cross-entropy against target distributions (one-hot for hard labels; soft targets for
/// teacher probabilities or mixup), averaged over the batch.
public enum SoftmaxCrossEntropy {
    public static func probabilities(_ logits: [Float], classes: Int) -> [Float] {
        var out = logits
        for r in 0..<(logits.count / classes) {
            let row = (r * classes)..<((r + 1) * classes)
            let top = logits[row].max() ?? 0
            var sum: Float = 0
            for k in row { out[k] = exp(logits[k] - top); sum += out[k] }
            for k in row { out[k] /= sum }
        }
        return out
    }

    /// The mean loss and its gradient with respect to the logits, `(p - y) / B`.
    public static func loss(logits: [Float], targets: [Float], classes: Int) -> (loss: Double, gradient: [Float]) {
        let rows = logits.count / classes
        let p = probabilities(logits, classes: classes)
        var loss = 0.0
        var gradient = [Float](repeating: 0, count: logits.count)
        for k in logits.indices {
            if targets[k] > 0 { loss -= Double(targets[k]) * log(max(Double(p[k]), 1e-12)) }
            gradient[k] = (p[k] - targets[k]) / Float(rows)
        }
        return (loss / Double(rows), gradient)
    }

    /// One-hot rows for labels (every label must be in 0..<classes).
    public static func oneHot(_ labels: [Int32], classes: Int) -> [Float] {
        var out = [Float](repeating: 0, count: labels.count * classes)
        for (r, label) in labels.enumerated() { out[r * classes + Int(label)] = 1 }
        return out
    }
}
