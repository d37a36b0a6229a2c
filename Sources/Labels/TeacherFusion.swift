import Foundation

/// Eq. 4 of seed 001: fused logits h(i, t) = Σ_k α_k · logits_k(i, t) + β_i, with α (one weight per
/// teacher) and β (one bias per class) fitted by minimising the mean cross-entropy of softmax(h)
/// against the labels.
///
/// The loss is convex in (α, β): h is linear in them and log-sum-exp is convex. It is minimised by
/// Newton's method with a backtracking (Armijo) line search, in Double, to a gradient below 1e-9 —
/// a few dozen iterations of a (K + C)-sized system, not an SGD schedule that stops somewhere. β is
/// fixed only up to a common shift (softmax ignores it), so β is kept summing to 0: the gradient
/// never has a component along (0…0, 1…1), and that direction is added to the Hessian to make the
/// Newton system regular without moving the solution.
///
/// When the fused logits separate the labeled rows perfectly, the cross-entropy has no minimum
/// (it falls towards 0 as α grows without bound, and the gradient vanishes with it): a fit whose
/// mean loss is below 1e-6 — near 0 only on separable rows — is reported with `converged` false,
/// and the caller says so. An L2 penalty `l2/2 · (|α|² + |β|²)` (0 by default, the paper's plain loss)
/// makes the problem strictly convex with a finite minimum.
public struct TeacherFusion: Equatable, Sendable {
    public var alpha: [Double]
    public var beta: [Double]

    public init(alpha: [Double], beta: [Double]) {
        self.alpha = alpha
        self.beta = beta
    }

    /// Plain averaging, the comparison the paper makes: α_k = 1/K, β = 0.
    public static func average(teachers: Int, classes: Int) -> TeacherFusion {
        TeacherFusion(alpha: Array(repeating: 1 / Double(teachers), count: teachers), beta: Array(repeating: 0, count: classes))
    }

    /// The fused logits of one row; `logits[k]` is teacher k's row.
    public func fuse(_ logits: [[Double]]) -> [Double] {
        var h = beta
        for (k, row) in logits.enumerated() { for i in h.indices { h[i] += alpha[k] * row[i] } }
        return h
    }

    /// softmax(h / temperature), stable.
    public static func softmax(_ h: [Double], temperature: Double = 1) -> [Double] {
        let scaled = h.map { $0 / temperature }
        let top = scaled.max() ?? 0
        let e = scaled.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// The mean cross-entropy over rows `logits[t][k][i]` with labels `labels[t]`, and its gradient
    /// (α then β).
    public func loss(logits: [[[Double]]], labels: [Int], l2: Double = 0) -> (value: Double, gradient: [Double]) {
        let K = alpha.count, C = beta.count
        var value = 0.0
        var gradient = [Double](repeating: 0, count: K + C)
        for (t, row) in logits.enumerated() {
            let h = fuse(row)
            let top = h.max() ?? 0
            let e = h.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            value += top + log(sum) - h[labels[t]]
            for i in 0..<C {
                let residual = e[i] / sum - (i == labels[t] ? 1 : 0)
                for k in 0..<K { gradient[k] += residual * row[k][i] }
                gradient[K + i] += residual
            }
        }
        let n = Double(max(1, logits.count))
        let parameters = alpha + beta
        let penalty = 0.5 * l2 * parameters.map { $0 * $0 }.reduce(0, +)
        return (value / n + penalty, zip(gradient, parameters).map { $0 / n + l2 * $1 })
    }

    /// The Hessian of the mean cross-entropy.
    func hessian(logits: [[[Double]]]) -> [[Double]] {
        let K = alpha.count, C = beta.count, D = K + C
        var H = [[Double]](repeating: [Double](repeating: 0, count: D), count: D)
        for row in logits {
            let p = Self.softmax(fuse(row))
            // x_i = (logits_1(i) … logits_K(i), e_i); H += Σ_i p_i x_i x_iᵀ − x̄ x̄ᵀ, x̄ = Σ_i p_i x_i.
            var mean = [Double](repeating: 0, count: D)
            for i in 0..<C {
                for k in 0..<K { mean[k] += p[i] * row[k][i] }
                mean[K + i] += p[i]
            }
            for i in 0..<C {
                var x = [Double](repeating: 0, count: D)
                for k in 0..<K { x[k] = row[k][i] }
                x[K + i] = 1
                for a in 0..<D where x[a] != 0 { for b in 0..<D { H[a][b] += p[i] * x[a] * x[b] } }
            }
            for a in 0..<D { for b in 0..<D { H[a][b] -= mean[a] * mean[b] } }
        }
        let n = Double(max(1, logits.count))
        return H.map { $0.map { $0 / n } }
    }

    /// Fits α and β on `logits[t][k][i]` with `labels[t]`, starting from plain averaging.
    public static func fit(logits: [[[Double]]], labels: [Int], teachers K: Int, classes C: Int, l2: Double = 0,
                           tolerance: Double = 1e-9, maxIterations: Int = 200) -> (fusion: TeacherFusion, iterations: Int, converged: Bool) {
        var current = average(teachers: K, classes: C)
        var (value, gradient) = current.loss(logits: logits, labels: labels, l2: l2)
        let separable = { (value: Double) in l2 == 0 && value < 1e-6 }
        for iteration in 0..<maxIterations {
            if gradient.map(abs).max() ?? 0 < tolerance || separable(value) { return (current, iteration, !separable(value)) }
            var H = current.hessian(logits: logits)
            for a in 0..<(K + C) { H[a][a] += l2 }
            let shift = 1 / Double(C)
            for a in K..<(K + C) { for b in K..<(K + C) { H[a][b] += shift } }
            for a in 0..<(K + C) { H[a][a] += 1e-12 }
            let step = solve(H, gradient.map { -$0 })
            var size = 1.0
            let slope = zip(gradient, step).map(*).reduce(0, +)
            while size > 1e-12 {
                let candidate = TeacherFusion(alpha: (0..<K).map { current.alpha[$0] + size * step[$0] },
                                              beta: (0..<C).map { current.beta[$0] + size * step[K + $0] })
                let next = candidate.loss(logits: logits, labels: labels, l2: l2)
                if next.value <= value + 1e-4 * size * slope {
                    current = candidate
                    (value, gradient) = next
                    break
                }
                size /= 2
            }
            if size <= 1e-12 { return (current, iteration + 1, gradient.map(abs).max() ?? 0 < tolerance && !separable(value)) }
        }
        return (current, maxIterations, gradient.map(abs).max() ?? 0 < tolerance && !separable(value))
    }

    /// Solves A x = b by Gaussian elimination with partial pivoting (A is small and regular).
    static func solve(_ A: [[Double]], _ b: [Double]) -> [Double] {
        let n = b.count
        var M = A
        var x = b
        for column in 0..<n {
            var pivot = column
            for r in column..<n where abs(M[r][column]) > abs(M[pivot][column]) { pivot = r }
            M.swapAt(column, pivot)
            x.swapAt(column, pivot)
            let d = M[column][column]
            guard d != 0 else { continue }
            for r in (column + 1)..<n where M[r][column] != 0 {
                let f = M[r][column] / d
                for c in column..<n { M[r][c] -= f * M[column][c] }
                x[r] -= f * x[column]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = x[r]
            for c in (r + 1)..<n { s -= M[r][c] * x[c] }
            x[r] = M[r][r] != 0 ? s / M[r][r] : 0
        }
        return x
    }
}
