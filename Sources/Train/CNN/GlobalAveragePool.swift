/// The mean of each channel over its whole map ([C, H, W] → [C, 1, 1], PyTorch
/// `AdaptiveAvgPool2d(1)`): what lets the classifier take any clip length the convolutions see.
final class GlobalAveragePool: Layer {
    let input: MapShape
    var output: MapShape { MapShape(channels: input.channels, height: 1, width: 1) }

    init(input: MapShape) { self.input = input }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        let plane = input.plane
        return (0..<(batch * input.channels)).map { k in
            var sum: Float = 0
            for i in (k * plane)..<((k + 1) * plane) { sum += x[i] }
            return sum / Float(plane)
        }
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        let plane = input.plane
        var dx = [Float](repeating: 0, count: batch * input.count)
        for k in 0..<(batch * input.channels) {
            let g = dy[k] / Float(plane)
            for i in (k * plane)..<((k + 1) * plane) { dx[i] = g }
        }
        return dx
    }
}
