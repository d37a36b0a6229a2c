import Foundation

/// `librosa.feature.delta(data, width=9, order=1, axis=-1, mode='interp')`: a Savitzky-Golay
/// derivative along time, i.e. `scipy.signal.savgol_filter(data, window_length=width,
/// polyorder=order, deriv=order, mode='interp')`.
///
/// Note librosa's second-order delta is *not* the delta of the delta: it fits a polynomial of
/// degree `order` to each `width`-frame window and takes its `order`-th derivative.
/// In the interior that is a fixed FIR filter (the least-squares fit evaluated at the window
/// centre). In `'interp'` mode the first and last `width/2` frames instead take the derivative of
/// one polynomial fitted to the first (last) `width` frames, evaluated at their own positions.
/// Both are linear in the data, so all weights are precomputed here in float64 as one
/// `[width, width]` table: row `p` = weights giving the derivative at window position `p`.
public struct DeltaFilter: Sendable {
    public let width: Int
    public let order: Int
    /// `weights[p * width + j]`: contribution of window sample `j` to the derivative at position `p`.
    let weights: [Double]

    public init(width: Int = 9, order: Int = 1) throws {
        guard width >= 3, width % 2 == 1 else {
            throw DSPError("delta width must be an odd integer >= 3, not \(width)")
        }
        guard order >= 1, order < width else {
            throw DSPError("delta order must be a positive integer below width, not \(order)")
        }
        self.width = width
        self.order = order
        // Least squares in centred coordinates u = j - width/2 (well conditioned):
        // coefficients a = (VᵀV)⁻¹ Vᵀ x with V[j][m] = u_j^m, m = 0...order.
        let half = width / 2
        let degree = order
        let terms = degree + 1
        var gram = [Double](repeating: 0, count: terms * terms)
        for j in 0..<width {
            let u = Double(j - half)
            for a in 0..<terms { for b in 0..<terms { gram[a * terms + b] += pow(u, Double(a + b)) } }
        }
        let inverse = Self.invert(gram, size: terms)
        // projection[m][j] = Σ_b inverse[m][b] · u_j^b : coefficient m from sample j.
        var projection = [Double](repeating: 0, count: terms * width)
        for m in 0..<terms {
            for j in 0..<width {
                let u = Double(j - half)
                var s = 0.0
                for b in 0..<terms { s += inverse[m * terms + b] * pow(u, Double(b)) }
                projection[m * width + j] = s
            }
        }
        // d^order/du^order of Σ a_m u^m at u = p - half: Σ_{m≥order} a_m · m!/(m-order)! · u^(m-order).
        var w = [Double](repeating: 0, count: width * width)
        for p in 0..<width {
            let u = Double(p - half)
            for m in order..<terms {
                var falling = 1.0
                for i in 0..<order { falling *= Double(m - i) }
                let factor = falling * pow(u, Double(m - order))
                for j in 0..<width { w[p * width + j] += factor * projection[m * width + j] }
            }
        }
        weights = w
    }

    /// Gauss-Jordan inverse of a small symmetric positive-definite matrix.
    static func invert(_ a: [Double], size n: Int) -> [Double] {
        var m = a
        var inv = [Double](repeating: 0, count: n * n)
        for i in 0..<n { inv[i * n + i] = 1 }
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
            if pivot != col {
                for c in 0..<n { m.swapAt(col * n + c, pivot * n + c); inv.swapAt(col * n + c, pivot * n + c) }
            }
            let d = m[col * n + col]
            for c in 0..<n { m[col * n + c] /= d; inv[col * n + c] /= d }
            for r in 0..<n where r != col {
                let f = m[r * n + col]
                if f == 0 { continue }
                for c in 0..<n { m[r * n + c] -= f * m[col * n + c]; inv[r * n + c] -= f * inv[col * n + c] }
            }
        }
        return inv
    }

    /// Derivative along time of `input[frames, features]` (row-major, row stride `inputStride`)
    /// into `out` (row stride `outputStride`). Needs `frames >= width` (librosa raises otherwise).
    /// Accumulates in float64, as scipy's `convolve1d` and `polyfit` do, then rounds to float32.
    public func apply(_ input: UnsafePointer<Float>, frames: Int, features: Int, inputStride: Int,
                      into out: UnsafeMutablePointer<Float>, outputStride: Int, scratch: inout [Double]) {
        precondition(frames >= width, "delta: width \(width) exceeds the \(frames) frames")
        if scratch.count < features { scratch = [Double](repeating: 0, count: features) }
        let half = width / 2
        weights.withUnsafeBufferPointer { w in
            scratch.withUnsafeMutableBufferPointer { acc in
                for t in 0..<frames {
                    // Window start and the position of t inside it.
                    let (start, p): (Int, Int)
                    if t < half { (start, p) = (0, t) }
                    else if t >= frames - half { (start, p) = (frames - width, t - (frames - width)) }
                    else { (start, p) = (t - half, half) }
                    for f in 0..<features { acc[f] = 0 }
                    for j in 0..<width {
                        let c = w[p * width + j]
                        if c == 0 { continue }
                        let row = input + (start + j) * inputStride
                        for f in 0..<features { acc[f] += c * Double(row[f]) }
                    }
                    let dst = out + t * outputStride
                    for f in 0..<features { dst[f] = Float(acc[f]) }
                }
            }
        }
    }
}
