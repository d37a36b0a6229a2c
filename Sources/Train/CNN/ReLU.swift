/// max(0, x), elementwise; the backward pass lets the gradient through where the output was positive.
/// Samples run in parallel (each writes only its own values).
final class ReLU: Layer {
    let input: MapShape
    var output: MapShape { input }
    private var lastOutput: [Float] = []

    init(input: MapShape) { self.input = input }

    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float] {
        let count = input.count
        let y = [Float](unsafeUninitializedCapacity: x.count) { buffer, initialized in
            x.withUnsafeBufferPointer { xp in
                let (xb, yb) = (xp.baseAddress!, buffer.baseAddress!)
                pass.parallel.run(batch) { s, _ in
                    let (from, to) = (xb + s * count, yb + s * count)
                    for k in 0..<count { to[k] = max(from[k], 0) }
                }
            }
            initialized = x.count
        }
        lastOutput = y
        return y
    }

    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float] {
        guard inputGradient else { return [] }
        let count = input.count
        return [Float](unsafeUninitializedCapacity: dy.count) { buffer, initialized in
            dy.withUnsafeBufferPointer { dp in
                lastOutput.withUnsafeBufferPointer { yp in
                    let (db, yb, out) = (dp.baseAddress!, yp.baseAddress!, buffer.baseAddress!)
                    // Eight lanes at a time with a blend: a per-value branch on random signs mispredicts
                    // half the time (it made this pass ten times slower than the forward one).
                    pass.parallel.run(batch) { s, _ in
                        let base = s * count
                        let lanes = count / 8 * 8
                        var k = base
                        while k < base + lanes {
                            let y = UnsafeRawPointer(yb + k).loadUnaligned(as: SIMD8<Float>.self)
                            let d = UnsafeRawPointer(db + k).loadUnaligned(as: SIMD8<Float>.self)
                            UnsafeMutableRawPointer(out + k).storeBytes(of: d.replacing(with: 0, where: y .<= 0), as: SIMD8<Float>.self)
                            k += 8
                        }
                        for k in (base + lanes)..<(base + count) { out[k] = yb[k] > 0 ? db[k] : 0 }
                    }
                }
            }
            initialized = dy.count
        }
    }
}
