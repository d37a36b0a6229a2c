/// 2-D max or average pooling with a square window and the same stride (PyTorch `MaxPool2d(k)`,
/// `AvgPool2d(k)`: no padding, a partial window at the edge is dropped).
final class Pool2D: Layer {
    enum Kind: String, Codable, Sendable { case max, avg }
    let input: MapShape
    let output: MapShape
    let kind: Kind
    let size: Int
    /// Max pooling: the input index (within the sample) each output took its value from.
    private var winners: [Int32] = []

    init(input: MapShape, kind: Kind, size: Int = 2) {
        self.input = input
        self.kind = kind
        self.size = size
        output = MapShape(channels: input.channels, height: input.height / size, width: input.width / size)
    }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        let (inCount, outCount, inW, outH, outW) = (input.count, output.count, input.width, output.height, output.width)
        var y = [Float](repeating: 0, count: batch * outCount)
        if kind == .max { winners = [Int32](repeating: 0, count: batch * outCount) }
        let scale = 1 / Float(size * size)
        for s in 0..<batch {
            for c in 0..<input.channels {
                let inBase = c * input.plane
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        let o = s * outCount + (c * outH + oy) * outW + ox
                        var best = -Float.infinity, at = 0, sum: Float = 0
                        for dy in 0..<size {
                            for dx in 0..<size {
                                let i = inBase + (oy * size + dy) * inW + ox * size + dx
                                let v = x[s * inCount + i]
                                if v > best || (dx == 0 && dy == 0) { best = v; at = i }
                                sum += v
                            }
                        }
                        if kind == .max { y[o] = best; winners[o] = Int32(at) } else { y[o] = sum * scale }
                    }
                }
            }
        }
        return y
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        let (inCount, outCount, inW, outH, outW) = (input.count, output.count, input.width, output.height, output.width)
        var dx = [Float](repeating: 0, count: batch * inCount)
        let scale = 1 / Float(size * size)
        for s in 0..<batch {
            for c in 0..<input.channels {
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        let o = s * outCount + (c * outH + oy) * outW + ox
                        if kind == .max {
                            dx[s * inCount + Int(winners[o])] += dy[o]
                        } else {
                            for a in 0..<size { for b in 0..<size { dx[s * inCount + c * input.plane + (oy * size + a) * inW + ox * size + b] += dy[o] * scale } }
                        }
                    }
                }
            }
        }
        return dx
    }
}
