import DSP
import Randomness

/// A two-layer perceptron, input → ReLU hidden layer → class logits, on OpenBLAS sgemm.
///
/// `weights` holds every parameter in one flat array ([W1 D×H, b1 H, W2 H×K, b2 K], row-major) so
/// the optimizer, the gradient check and the model file treat them as one vector.
public struct MLPClassifier: Codable, Equatable, Sendable {
    public let inputs: Int
    public let hidden: Int
    public let classes: Int
    public var weights: [Float]

    var w1: Range<Int> { 0..<(inputs * hidden) }
    var b1: Range<Int> { w1.upperBound..<(w1.upperBound + hidden) }
    var w2: Range<Int> { b1.upperBound..<(b1.upperBound + hidden * classes) }
    var b2: Range<Int> { w2.upperBound..<(w2.upperBound + classes) }
    public var parameterCount: Int { b2.upperBound }

    /// He-initialised weights (uniform with the normal's variance 2/fan-in), zero biases, drawn from
    /// `SplitMix64(seed: seed, key: "mlp-init")` so the same seed gives the same starting model.
    public init(inputs: Int, hidden: Int, classes: Int, seed: UInt64) {
        self.inputs = inputs
        self.hidden = hidden
        self.classes = classes
        weights = []
        weights = [Float](repeating: 0, count: parameterCount)
        var generator = SplitMix64(seed: seed, key: "mlp-init")
        let limit1 = (6.0 / Double(inputs)).squareRoot()
        for k in w1 { weights[k] = Float(generator.nextSigned() * limit1) }
        let limit2 = (6.0 / Double(hidden)).squareRoot()
        for k in w2 { weights[k] = Float(generator.nextSigned() * limit2) }
    }

    /// The activations a backward pass needs.
    public struct Forward {
        public var hidden: [Float]   // [B, H] after ReLU
        public var logits: [Float]   // [B, K]
    }

    public func forward(_ x: [Float], rows: Int) -> Forward {
        var h = [Float](repeating: 0, count: rows * hidden)
        for r in 0..<rows { for j in 0..<hidden { h[r * hidden + j] = weights[b1.lowerBound + j] } }
        weights.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { xp in
                h.withUnsafeMutableBufferPointer { hp in
                    BLAS.gemm(transposeA: false, transposeB: false, m: rows, n: hidden, k: inputs,
                              xp.baseAddress!, w.baseAddress! + w1.lowerBound, beta: 1, into: hp.baseAddress!)
                }
            }
        }
        for k in h.indices where h[k] < 0 { h[k] = 0 }
        var logits = [Float](repeating: 0, count: rows * classes)
        for r in 0..<rows { for c in 0..<classes { logits[r * classes + c] = weights[b2.lowerBound + c] } }
        weights.withUnsafeBufferPointer { w in
            h.withUnsafeBufferPointer { hp in
                logits.withUnsafeMutableBufferPointer { lp in
                    BLAS.gemm(transposeA: false, transposeB: false, m: rows, n: classes, k: hidden,
                              hp.baseAddress!, w.baseAddress! + w2.lowerBound, beta: 1, into: lp.baseAddress!)
                }
            }
        }
        return Forward(hidden: h, logits: logits)
    }

    /// The gradient of the loss with respect to every weight, given dLoss/dLogits [B, K].
    public func backward(_ x: [Float], rows: Int, forward: Forward, logitGradient: [Float]) -> [Float] {
        var gradient = [Float](repeating: 0, count: parameterCount)
        var hiddenGradient = [Float](repeating: 0, count: rows * hidden)
        gradient.withUnsafeMutableBufferPointer { g in
            let g = g.baseAddress!
            logitGradient.withUnsafeBufferPointer { dl in
                forward.hidden.withUnsafeBufferPointer { h in
                    // dW2 = Hᵀ · dL
                    BLAS.gemm(transposeA: true, transposeB: false, m: hidden, n: classes, k: rows,
                              h.baseAddress!, dl.baseAddress!, into: g + w2.lowerBound)
                }
                weights.withUnsafeBufferPointer { w in
                    hiddenGradient.withUnsafeMutableBufferPointer { dh in
                        // dH = dL · W2ᵀ
                        BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: hidden, k: classes,
                                  dl.baseAddress!, w.baseAddress! + w2.lowerBound, into: dh.baseAddress!)
                    }
                }
            }
        }
        for r in 0..<rows { for c in 0..<classes { gradient[b2.lowerBound + c] += logitGradient[r * classes + c] } }
        for k in hiddenGradient.indices where forward.hidden[k] <= 0 { hiddenGradient[k] = 0 }
        for r in 0..<rows { for j in 0..<hidden { gradient[b1.lowerBound + j] += hiddenGradient[r * hidden + j] } }
        gradient.withUnsafeMutableBufferPointer { g in
            x.withUnsafeBufferPointer { xp in
                hiddenGradient.withUnsafeBufferPointer { dh in
                    // dW1 = Xᵀ · dH
                    BLAS.gemm(transposeA: true, transposeB: false, m: inputs, n: hidden, k: rows,
                              xp.baseAddress!, dh.baseAddress!, into: g.baseAddress! + w1.lowerBound)
                }
            }
        }
        return gradient
    }
}
