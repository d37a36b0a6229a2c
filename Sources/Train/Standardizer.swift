/// Per-input mean and scale measured on the training rows, so every input of the network starts
/// near zero with unit spread (log-mel means sit near -40 dB; an unscaled input stalls SGD).
public struct Standardizer: Codable, Equatable, Sendable {
    public var mean: [Float]
    public var scale: [Float]

    /// Accumulates sums over batches of [B, D] inputs.
    public struct Accumulator {
        var sum: [Double]
        var squares: [Double]
        var count = 0

        public init(width: Int) {
            sum = [Double](repeating: 0, count: width)
            squares = sum
        }

        public mutating func add(_ inputs: [Float], rows: Int) {
            let width = sum.count
            for r in 0..<rows {
                for d in 0..<width {
                    let v = Double(inputs[r * width + d])
                    sum[d] += v
                    squares[d] += v * v
                }
            }
            count += rows
        }

        public var result: Standardizer {
            let n = Double(max(count, 1))
            let mean = sum.map { $0 / n }
            let scale = zip(squares, mean).map { square, mean in
                let deviation = max(0, square / n - mean * mean).squareRoot()
                return deviation > 1e-6 ? Float(1 / deviation) : 1
            }
            return Standardizer(mean: mean.map(Float.init), scale: scale)
        }
    }

    public func apply(_ inputs: inout [Float]) {
        let width = mean.count
        for k in inputs.indices {
            let d = k % width
            inputs[k] = (inputs[k] - mean[d]) * scale[d]
        }
    }
}
