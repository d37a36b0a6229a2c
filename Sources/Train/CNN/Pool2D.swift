/// 2-D max or average pooling with a square window and the same stride (PyTorch `MaxPool2d(k)`,
/// `AvgPool2d(k)`: no padding, a partial window at the edge is dropped). Samples run in parallel.
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
        let (inCount, outCount, inW, outH, outW, size, channels, inPlane) =
            (input.count, output.count, input.width, output.height, output.width, size, input.channels, input.plane)
        var y = [Float](repeating: 0, count: batch * outCount)
        winners = kind == .max ? [Int32](repeating: 0, count: batch * outCount) : []
        let scale = 1 / Float(size * size)
        let isMax = kind == .max
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                winners.withUnsafeMutableBufferPointer { wp in
                    let (xb, yb, wb) = (xp.baseAddress!, yp.baseAddress!, wp.baseAddress)
                    pass.parallel.run(batch) { s, _ in
                        let sample = xb + s * inCount
                        for c in 0..<channels {
                            for oy in 0..<outH {
                                for ox in 0..<outW {
                                    let o = s * outCount + (c * outH + oy) * outW + ox
                                    let corner = c * inPlane + oy * size * inW + ox * size
                                    var best = sample[corner], at = corner, sum: Float = 0
                                    for dy in 0..<size {
                                        for dx in 0..<size {
                                            let i = corner + dy * inW + dx
                                            let v = sample[i]
                                            if v > best { best = v; at = i }
                                            sum += v
                                        }
                                    }
                                    if isMax { yb[o] = best; wb![o] = Int32(at) } else { yb[o] = sum * scale }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        let (inCount, outCount, inW, outH, outW, size, channels, inPlane) =
            (input.count, output.count, input.width, output.height, output.width, size, input.channels, input.plane)
        var dx = [Float](repeating: 0, count: batch * inCount)
        let scale = 1 / Float(size * size)
        let isMax = kind == .max
        dy.withUnsafeBufferPointer { dp in
            dx.withUnsafeMutableBufferPointer { xp in
                winners.withUnsafeBufferPointer { wp in
                    let (db, xb, wb) = (dp.baseAddress!, xp.baseAddress!, wp.baseAddress)
                    pass.parallel.run(batch) { s, _ in
                        let sample = xb + s * inCount
                        for c in 0..<channels {
                            for oy in 0..<outH {
                                for ox in 0..<outW {
                                    let o = s * outCount + (c * outH + oy) * outW + ox
                                    if isMax {
                                        sample[Int(wb![o])] += db[o]
                                    } else {
                                        let corner = c * inPlane + oy * size * inW + ox * size
                                        for a in 0..<size { for b in 0..<size { sample[corner + a * inW + b] += db[o] * scale } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
