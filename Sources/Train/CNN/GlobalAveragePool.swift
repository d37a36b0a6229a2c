/// The mean over the whole map ([C, H, W] → [C, 1, 1], PyTorch `AdaptiveAvgPool2d(1)`), or over
/// time only ([C, H, W] → [C, 1, W], `x.mean(dim=2)`).
///
/// Why both: over the whole map the head is independent of where in time and frequency a pattern
/// sits, but a scene's spectral position is part of what tells it apart, and a stack of small
/// same-convolutions only sees absolute frequency through its padding; averaging over time alone
/// keeps the frequency bands apart for the linear layer.
final class GlobalAveragePool: Layer {
    enum Axes: String, Codable, Sendable { case all, time }
    let input: MapShape
    let axes: Axes

    init(input: MapShape, axes: Axes = .all) {
        self.input = input
        self.axes = axes
    }

    var output: MapShape {
        MapShape(channels: input.channels, height: 1, width: axes == .all ? 1 : input.width)
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        let (plane, h, w) = (input.plane, input.height, input.width)
        switch axes {
        case .all:
            return (0..<(batch * input.channels)).map { k in
                var sum: Float = 0
                for i in (k * plane)..<((k + 1) * plane) { sum += x[i] }
                return sum / Float(plane)
            }
        case .time:
            var y = [Float](repeating: 0, count: batch * input.channels * w)
            for k in 0..<(batch * input.channels) {
                for t in 0..<h { for f in 0..<w { y[k * w + f] += x[k * plane + t * w + f] } }
                for f in 0..<w { y[k * w + f] /= Float(h) }
            }
            return y
        }
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        let (plane, h, w) = (input.plane, input.height, input.width)
        var dx = [Float](repeating: 0, count: batch * input.count)
        for k in 0..<(batch * input.channels) {
            switch axes {
            case .all:
                let g = dy[k] / Float(plane)
                for i in (k * plane)..<((k + 1) * plane) { dx[i] = g }
            case .time:
                for t in 0..<h { for f in 0..<w { dx[k * plane + t * w + f] = dy[k * w + f] / Float(h) } }
            }
        }
        return dx
    }
}
