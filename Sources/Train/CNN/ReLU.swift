/// max(0, x), elementwise; the backward pass lets the gradient through where the output was positive.
final class ReLU: Layer {
    let input: MapShape
    var output: MapShape { input }
    private var lastOutput: [Float] = []

    init(input: MapShape) { self.input = input }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        var y = x
        for k in y.indices where y[k] < 0 { y[k] = 0 }
        lastOutput = y
        return y
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        var dx = dy
        for k in dx.indices where lastOutput[k] <= 0 { dx[k] = 0 }
        return dx
    }
}
