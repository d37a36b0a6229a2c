import Foundation

/// SGD (with momentum) or Adam over one flat parameter vector, with decoupled weight decay.
public struct Optimizer: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case sgd, adam }
    public var kind: Kind
    public var learningRate: Float
    public var weightDecay: Float
    public var momentum: Float = 0.9
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Optimizer state, saved with a checkpoint so a resumed run takes the same steps.
    public var step = 0
    public var first: [Float] = []
    public var second: [Float] = []

    public init(kind: Kind, learningRate: Float, weightDecay: Float = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    public mutating func update(_ weights: inout [Float], gradient: [Float], learningRate rate: Float? = nil) {
        let lr = rate ?? learningRate
        if first.count != weights.count { first = [Float](repeating: 0, count: weights.count) }
        step += 1
        switch kind {
        case .sgd:
            for k in weights.indices {
                first[k] = momentum * first[k] + gradient[k]
                weights[k] -= lr * (first[k] + weightDecay * weights[k])
            }
        case .adam:
            if second.count != weights.count { second = [Float](repeating: 0, count: weights.count) }
            let correction1 = 1 - pow(beta1, Float(step))
            let correction2 = 1 - pow(beta2, Float(step))
            for k in weights.indices {
                first[k] = beta1 * first[k] + (1 - beta1) * gradient[k]
                second[k] = beta2 * second[k] + (1 - beta2) * gradient[k] * gradient[k]
                let update = (first[k] / correction1) / ((second[k] / correction2).squareRoot() + epsilon)
                weights[k] -= lr * (update + weightDecay * weights[k])
            }
        }
    }
}
