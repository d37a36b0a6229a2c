import Randomness

/// Batch normalisation over channels (PyTorch `BatchNorm2d(C, eps=1e-5, momentum=0.1)`).
///
/// Training mode normalises with the batch's mean and (biased) variance per channel over
/// (batch, height, width) and moves the running statistics towards them (the running variance
/// takes the unbiased estimate, as PyTorch's does); evaluation mode uses the running statistics,
/// so a prediction does not depend on the other clips of its batch.
///
/// Parameters: `weight` (γ) [C] then `bias` (β) [C]. State: `running_mean` [C] then `running_var` [C].
/// Sums run in Float64: over B·H·W values (up to millions) a Float32 sum loses digits. Samples run in
/// parallel; each sample's per-channel sums are kept apart and added in sample order, so the
/// statistics do not depend on the thread count.
final class BatchNorm: Layer {
    let input: MapShape
    var output: MapShape { input }
    let eps: Double = 1e-5
    let momentum: Double = 0.1
    /// The last input (shared with the layer before, not copied) and its statistics: the backward
    /// pass recomputes x̂ from them rather than keeping a second map-sized array.
    private var lastInput: [Float] = []
    private var means: [Float] = []
    private var inverseStd: [Double] = []

    init(input: MapShape) { self.input = input }

    var parameterCount: Int { 2 * input.channels }
    var stateCount: Int { 2 * input.channels }

    func initialize(parameters: UnsafeMutableBufferPointer<Float>, state: UnsafeMutableBufferPointer<Float>,
                    generator: inout SplitMix64) {
        let c = input.channels
        for k in 0..<c { parameters[k] = 1; parameters[c + k] = 0; state[k] = 0; state[c + k] = 1 }
    }

    /// `plane(s, c)` (a sum over sample s's plane of channel c, given its first index) for every
    /// sample and channel in parallel, then summed over samples in sample order.
    private func channelSums(batch: Int, pass: LayerPass, _ plane: @escaping (_ base: Int, _ channel: Int) -> Double) -> [Double] {
        let (channels, count, size) = (input.channels, input.count, input.plane)
        var partial = [Double](repeating: 0, count: batch * channels)
        partial.withUnsafeMutableBufferPointer { pp in
            let pb = pp.baseAddress!
            pass.parallel.run(batch) { s, _ in
                for c in 0..<channels { pb[s * channels + c] = plane(s * count + c * size, c) }
            }
        }
        return (0..<channels).map { c in (0..<batch).reduce(0.0) { $0 + partial[$1 * channels + c] } }
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        let (channels, plane, count) = (input.channels, input.plane, input.count)
        let n = Double(batch * plane)
        var mean = [Double](repeating: 0, count: channels)
        var variance = [Double](repeating: 0, count: channels)
        x.withUnsafeBufferPointer { xp in
            let xb = xp.baseAddress!
            if pass.training {
                mean = channelSums(batch: batch, pass: pass) { base, _ in
                    var sum = 0.0
                    for k in base..<(base + plane) { sum += Double(xb[k]) }
                    return sum
                }.map { $0 / n }
                let m = mean
                let squares = channelSums(batch: batch, pass: pass) { base, c in
                    var sum = 0.0
                    let mc = m[c]
                    for k in base..<(base + plane) { let d = Double(xb[k]) - mc; sum += d * d }
                    return sum
                }
                for c in 0..<channels {
                    variance[c] = squares[c] / n
                    let unbiased = n > 1 ? squares[c] / (n - 1) : variance[c]
                    pass.state[c] = Float((1 - momentum) * Double(pass.state[c]) + momentum * mean[c])
                    pass.state[channels + c] = Float((1 - momentum) * Double(pass.state[channels + c]) + momentum * unbiased)
                }
            } else {
                for c in 0..<channels { mean[c] = Double(pass.state[c]); variance[c] = Double(pass.state[channels + c]) }
            }
        }
        inverseStd = variance.map { 1 / ($0 + eps).squareRoot() }
        let means = mean.map(Float.init), inverse = inverseStd.map(Float.init)
        self.means = means
        lastInput = x
        let gamma = (0..<channels).map { pass.parameters[$0] }, beta = (0..<channels).map { pass.parameters[channels + $0] }
        return [Float](unsafeUninitializedCapacity: x.count) { yp, initialized in
            x.withUnsafeBufferPointer { xp in
                let (xb, yb) = (xp.baseAddress!, yp.baseAddress!)
                pass.parallel.run(batch) { s, _ in
                    for c in 0..<channels {
                        let base = s * count + c * plane
                        let (m, inv, g, b) = (means[c], inverse[c], gamma[c], beta[c])
                        for k in base..<(base + plane) { yb[k] = g * ((xb[k] - m) * inv) + b }
                    }
                }
            }
            initialized = x.count
        }
    }

    /// Training mode: dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σ(dy·x̂)); evaluation mode: dx = γ·σ⁻¹·dy.
    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        let (channels, plane, count) = (input.channels, input.plane, input.count)
        let n = Double(batch * plane)
        var sumDy: [Double] = [], sumDyXhat: [Double] = []
        let means = self.means, inverse = inverseStd.map(Float.init)
        dy.withUnsafeBufferPointer { dp in
            lastInput.withUnsafeBufferPointer { np in
                let (db, nb) = (dp.baseAddress!, np.baseAddress!)
                sumDy = channelSums(batch: batch, pass: pass) { base, _ in
                    var sum = 0.0
                    for k in base..<(base + plane) { sum += Double(db[k]) }
                    return sum
                }
                sumDyXhat = channelSums(batch: batch, pass: pass) { base, c in
                    var sum = 0.0
                    let (m, inv) = (means[c], inverse[c])
                    for k in base..<(base + plane) { sum += Double(db[k]) * Double((nb[k] - m) * inv) }
                    return sum
                }
            }
        }
        for c in 0..<channels {
            pass.gradient[c] = Float(sumDyXhat[c])
            pass.gradient[channels + c] = Float(sumDy[c])
        }
        guard inputGradient else { return [] }
        var dx = [Float](repeating: 0, count: dy.count)
        let training = pass.training
        let scales = (0..<channels).map { Double(pass.parameters[$0]) * inverseStd[$0] }
        dy.withUnsafeBufferPointer { dp in
            lastInput.withUnsafeBufferPointer { np in
                dx.withUnsafeMutableBufferPointer { xp in
                    let (db, nb, xb) = (dp.baseAddress!, np.baseAddress!, xp.baseAddress!)
                    pass.parallel.run(batch) { s, _ in
                        for c in 0..<channels {
                            let base = s * count + c * plane
                            if training {
                                let a = Float(scales[c]), b = Float(scales[c] * sumDy[c] / n), d = Float(scales[c] * sumDyXhat[c] / n)
                                let (m, inv) = (means[c], inverse[c])
                                for k in base..<(base + plane) { xb[k] = a * db[k] - b - ((nb[k] - m) * inv) * d }
                            } else {
                                let a = Float(scales[c])
                                for k in base..<(base + plane) { xb[k] = a * db[k] }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
