import Randomness

/// Batch normalisation over channels (PyTorch `BatchNorm2d(C, eps=1e-5, momentum=0.1)`).
///
/// Training mode normalises with the batch's mean and (biased) variance per channel over
/// (batch, height, width) and moves the running statistics towards them (the running variance
/// takes the unbiased estimate, as PyTorch's does); evaluation mode uses the running statistics,
/// so a prediction does not depend on the other clips of its batch.
///
/// Parameters: `weight` (γ) [C] then `bias` (β) [C]. State: `running_mean` [C] then `running_var` [C].
/// Sums run in Float64 per channel: over B·H·W values (up to millions) a Float32 sum loses digits.
final class BatchNorm: Layer {
    let input: MapShape
    var output: MapShape { input }
    let eps: Double = 1e-5
    let momentum: Double = 0.1
    private var normalised: [Float] = []
    private var inverseStd: [Double] = []

    init(input: MapShape) { self.input = input }

    var parameterCount: Int { 2 * input.channels }
    var stateCount: Int { 2 * input.channels }

    func initialize(parameters: UnsafeMutableBufferPointer<Float>, state: UnsafeMutableBufferPointer<Float>,
                    generator: inout SplitMix64) {
        let c = input.channels
        for k in 0..<c { parameters[k] = 1; parameters[c + k] = 0; state[k] = 0; state[c + k] = 1 }
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        let (channels, plane, count) = (input.channels, input.plane, input.count)
        let n = Double(batch * plane)
        var mean = [Double](repeating: 0, count: channels)
        var variance = [Double](repeating: 0, count: channels)
        if pass.training {
            for c in 0..<channels {
                var sum = 0.0
                for s in 0..<batch { let base = s * count + c * plane; for k in 0..<plane { sum += Double(x[base + k]) } }
                let m = sum / n
                var squares = 0.0
                for s in 0..<batch {
                    let base = s * count + c * plane
                    for k in 0..<plane { let d = Double(x[base + k]) - m; squares += d * d }
                }
                mean[c] = m
                variance[c] = squares / n
                let unbiased = n > 1 ? squares / (n - 1) : variance[c]
                pass.state[c] = Float((1 - momentum) * Double(pass.state[c]) + momentum * m)
                pass.state[channels + c] = Float((1 - momentum) * Double(pass.state[channels + c]) + momentum * unbiased)
            }
        } else {
            for c in 0..<channels { mean[c] = Double(pass.state[c]); variance[c] = Double(pass.state[channels + c]) }
        }
        inverseStd = variance.map { 1 / ($0 + eps).squareRoot() }
        normalised = [Float](repeating: 0, count: x.count)
        var y = [Float](repeating: 0, count: x.count)
        for c in 0..<channels {
            let m = Float(mean[c]), inv = Float(inverseStd[c])
            let gamma = pass.parameters[c], beta = pass.parameters[channels + c]
            for s in 0..<batch {
                let base = s * count + c * plane
                for k in base..<(base + plane) {
                    let xhat = (x[k] - m) * inv
                    normalised[k] = xhat
                    y[k] = gamma * xhat + beta
                }
            }
        }
        return y
    }

    /// Training mode: dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σ(dy·x̂)); evaluation mode: dx = γ·σ⁻¹·dy.
    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        let (channels, plane, count) = (input.channels, input.plane, input.count)
        let n = Double(batch * plane)
        var dx = [Float](repeating: 0, count: inputGradient ? dy.count : 0)
        for c in 0..<channels {
            var sumDy = 0.0, sumDyXhat = 0.0
            for s in 0..<batch {
                let base = s * count + c * plane
                for k in base..<(base + plane) { sumDy += Double(dy[k]); sumDyXhat += Double(dy[k]) * Double(normalised[k]) }
            }
            pass.gradient[c] = Float(sumDyXhat)
            pass.gradient[channels + c] = Float(sumDy)
            guard inputGradient else { continue }
            let scale = Double(pass.parameters[c]) * inverseStd[c]
            for s in 0..<batch {
                let base = s * count + c * plane
                for k in base..<(base + plane) {
                    dx[k] = pass.training
                        ? Float(scale / n * (n * Double(dy[k]) - sumDy - Double(normalised[k]) * sumDyXhat))
                        : Float(scale * Double(dy[k]))
                }
            }
        }
        return dx
    }
}
