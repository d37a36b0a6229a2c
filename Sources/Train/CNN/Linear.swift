import DSP
import Randomness

/// A fully connected layer (PyTorch `Linear(in, out)`): y = x · weightᵀ + bias, on sgemm.
///
/// Parameters: `weight` [out, in] then `bias` [out]; initialised as PyTorch does (uniform within
/// ±1/√in for both).
final class Linear: Layer {
    let input: MapShape
    let outputs: Int
    private var lastInput: [Float] = []

    init(input: MapShape, outputs: Int) {
        self.input = input
        self.outputs = outputs
    }

    var output: MapShape { MapShape(channels: outputs, height: 1, width: 1) }
    var parameterCount: Int { outputs * input.count + outputs }
    var multiplyAdds: Int { outputs * input.count }

    func initialize(parameters: UnsafeMutableBufferPointer<Float>, state: UnsafeMutableBufferPointer<Float>,
                    generator: inout SplitMix64) {
        let bound = 1 / Double(input.count).squareRoot()
        for k in 0..<parameterCount { parameters[k] = Float(generator.nextSigned() * bound) }
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        lastInput = x
        let d = input.count
        var y = [Float](repeating: 0, count: batch * outputs)
        let w = UnsafePointer(pass.parameters.baseAddress!)
        for s in 0..<batch { for o in 0..<outputs { y[s * outputs + o] = w[outputs * d + o] } }
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                BLAS.gemm(transposeA: false, transposeB: true, m: batch, n: outputs, k: d, xp.baseAddress!, w, beta: 1,
                          into: yp.baseAddress!)
            }
        }
        return y
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        let d = input.count
        let w = UnsafePointer(pass.parameters.baseAddress!)
        dy.withUnsafeBufferPointer { dyp in
            lastInput.withUnsafeBufferPointer { xp in
                // dW = dYᵀ · X
                BLAS.gemm(transposeA: true, transposeB: false, m: outputs, n: d, k: batch, dyp.baseAddress!, xp.baseAddress!,
                          into: pass.gradient.baseAddress!)
            }
        }
        for o in 0..<outputs {
            var sum: Float = 0
            for s in 0..<batch { sum += dy[s * outputs + o] }
            pass.gradient[outputs * d + o] = sum
        }
        guard inputGradient else { return [] }
        var dx = [Float](repeating: 0, count: batch * d)
        dy.withUnsafeBufferPointer { dyp in
            dx.withUnsafeMutableBufferPointer { dxp in
                BLAS.gemm(transposeA: false, transposeB: false, m: batch, n: d, k: outputs, dyp.baseAddress!, w,
                          into: dxp.baseAddress!)
            }
        }
        return dx
    }
}
