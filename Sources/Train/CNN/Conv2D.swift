import DSP
import Randomness

/// A "same" 2-D convolution (PyTorch `Conv2d(in, out, kernel_size=3, padding=1)`), through im2col
/// and one `cblas_sgemm` per sample: `y_s[out, H·W] = weight[out, in·k·k] · cols_s + bias`.
///
/// Parameters: `weight` [out, in, k, k] then `bias` [out]. The column matrices are not kept between
/// the passes (they would take B·in·k²·H·W floats); the backward pass unfolds each input again,
/// which costs a copy, not a product.
///
/// Threads: samples run in parallel, each on its own column buffer. The weight gradient is summed
/// per fixed group of samples (`Parallel.groups`, a function of the batch size only) and the groups
/// are then added in order, so the result is the same for any thread count.
final class Conv2D: Layer {
    let input: MapShape
    let output: MapShape
    let kernel: Int
    private var lastInput: [Float] = []

    init(input: MapShape, outChannels: Int, kernel: Int = 3) {
        precondition(kernel % 2 == 1, "a same convolution needs an odd kernel")
        self.input = input
        self.kernel = kernel
        output = MapShape(channels: outChannels, height: input.height, width: input.width)
    }

    var fanIn: Int { input.channels * kernel * kernel }
    var weightCount: Int { output.channels * fanIn }
    var parameterCount: Int { weightCount + output.channels }
    var multiplyAdds: Int { weightCount * input.plane }

    /// Kaiming (He) uniform weights for the ReLU that follows (bound √(6 / fan_in)), zero bias.
    func initialize(parameters: UnsafeMutableBufferPointer<Float>, state: UnsafeMutableBufferPointer<Float>,
                    generator: inout SplitMix64) {
        let bound = (6.0 / Double(fanIn)).squareRoot()
        for k in 0..<weightCount { parameters[k] = Float(generator.nextSigned() * bound) }
        for k in weightCount..<parameterCount { parameters[k] = 0 }
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        lastInput = x
        let (inCount, outCount, plane, fanIn, outChannels) = (input.count, output.count, input.plane, fanIn, output.channels)
        var y = [Float](repeating: 0, count: batch * outCount)
        var scratch = [Float](repeating: 0, count: min(pass.parallel.threads, batch) * fanIn * plane)
        let weights = UnsafePointer(pass.parameters.baseAddress!)
        let bias = weights + weightCount
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    let (xb, yb, sb) = (xp.baseAddress!, yp.baseAddress!, sp.baseAddress!)
                    pass.parallel.run(batch) { s, worker in
                        let cols = sb + worker * fanIn * plane
                        Im2Col.unfold(xb + s * inCount, shape: input, kernel: kernel, into: cols)
                        let out = yb + s * outCount
                        for c in 0..<outChannels { (out + c * plane).update(repeating: bias[c], count: plane) }
                        BLAS.gemm(transposeA: false, transposeB: false, m: outChannels, n: plane, k: fanIn,
                                  weights, cols, beta: 1, into: out)
                    }
                }
            }
        }
        return y
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        let (inCount, outCount, plane, fanIn, outChannels, weightCount) =
            (input.count, output.count, input.plane, fanIn, output.channels, weightCount)
        let groups = Parallel.groups(batch: batch)
        // Per group: its weight and bias gradient, and one column buffer.
        var partial = [Float](repeating: 0, count: groups.count * parameterCount)
        var scratch = [Float](repeating: 0, count: groups.count * fanIn * plane)
        var dx = [Float](repeating: 0, count: inputGradient ? batch * inCount : 0)
        let weights = UnsafePointer(pass.parameters.baseAddress!)
        lastInput.withUnsafeBufferPointer { xp in
            dy.withUnsafeBufferPointer { dyp in
                partial.withUnsafeMutableBufferPointer { pp in
                    scratch.withUnsafeMutableBufferPointer { sp in
                        dx.withUnsafeMutableBufferPointer { dxp in
                            // An empty array may still have a base address: test the flag, not the pointer.
                            let (xb, dyb, pb, sb, dxb) = (xp.baseAddress!, dyp.baseAddress!, pp.baseAddress!, sp.baseAddress!,
                                                          inputGradient ? dxp.baseAddress : nil)
                            pass.parallel.run(groups.count) { g, _ in
                                let cols = sb + g * fanIn * plane
                                let dWeight = pb + g * parameterCount
                                let dBias = dWeight + weightCount
                                for s in groups[g] {
                                    let grad = dyb + s * outCount
                                    Im2Col.unfold(xb + s * inCount, shape: input, kernel: kernel, into: cols)
                                    // dW += dY_s · cols_sᵀ
                                    BLAS.gemm(transposeA: false, transposeB: true, m: outChannels, n: fanIn, k: plane,
                                              grad, cols, beta: 1, into: dWeight)
                                    for c in 0..<outChannels {
                                        var sum: Float = 0
                                        let row = grad + c * plane
                                        for k in 0..<plane { sum += row[k] }
                                        dBias[c] += sum
                                    }
                                    if let dxb {
                                        // dCols = Wᵀ · dY_s, folded back onto the input.
                                        BLAS.gemm(transposeA: true, transposeB: false, m: fanIn, n: plane, k: outChannels,
                                                  weights, grad, into: cols)
                                        Im2Col.fold(cols, shape: input, kernel: kernel, into: dxb + s * inCount)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for k in 0..<parameterCount {
            var sum: Float = 0
            for g in groups.indices { sum += partial[g * parameterCount + k] }
            pass.gradient[k] = sum
        }
        return dx
    }
}
