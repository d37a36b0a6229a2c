/// The column matrix of a "same" convolution (odd kernel, stride 1, zero padding kernel/2), so the
/// convolution becomes one sgemm: `cols[(c·k + ky)·k + kx, h·W + w] = x[c, h + ky - k/2, w + kx - k/2]`
/// (zero outside the map), shape [C·k·k, H·W], PyTorch's `unfold` layout.
enum Im2Col {
    static func unfold(_ x: UnsafePointer<Float>, shape: MapShape, kernel k: Int, into cols: UnsafeMutablePointer<Float>) {
        let (h, w) = (shape.height, shape.width)
        let pad = k / 2
        var row = cols
        for c in 0..<shape.channels {
            let plane = x + c * h * w
            for ky in 0..<k {
                for kx in 0..<k {
                    let dx = kx - pad
                    let lo = max(0, -dx), hi = min(w, w - dx)
                    for y in 0..<h {
                        let out = row + y * w
                        let sy = y + ky - pad
                        guard sy >= 0, sy < h, hi > lo else {
                            out.update(repeating: 0, count: w)
                            continue
                        }
                        if lo > 0 { out.update(repeating: 0, count: lo) }
                        (out + lo).update(from: plane + sy * w + lo + dx, count: hi - lo)
                        if hi < w { (out + hi).update(repeating: 0, count: w - hi) }
                    }
                    row += h * w
                }
            }
        }
    }

    /// The adjoint of `unfold`: adds every column entry back onto the input position it came
    /// from (`dx` is overwritten), the input gradient of the convolution.
    static func fold(_ cols: UnsafePointer<Float>, shape: MapShape, kernel k: Int, into dx: UnsafeMutablePointer<Float>) {
        let (h, w) = (shape.height, shape.width)
        let pad = k / 2
        dx.update(repeating: 0, count: shape.count)
        var row = cols
        for c in 0..<shape.channels {
            let plane = dx + c * h * w
            for ky in 0..<k {
                for kx in 0..<k {
                    let shift = kx - pad
                    let lo = max(0, -shift), hi = min(w, w - shift)
                    for y in 0..<h {
                        let sy = y + ky - pad
                        guard sy >= 0, sy < h, hi > lo else { continue }
                        let source = row + y * w
                        let target = plane + sy * w + shift
                        for x in lo..<hi { target[x] += source[x] }
                    }
                    row += h * w
                }
            }
        }
    }
}
