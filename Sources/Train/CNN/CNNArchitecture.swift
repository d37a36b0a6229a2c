/// The compact CNN's layout (`pipe train --model cnn --channels 16,32,64 --pool max --dropout 0.2`):
///
///     input [C, T, F] → BatchNorm (input scaling, learnt)
///     per block b: Conv2D 3×3 (channels[b]) → BatchNorm → ReLU → Pool2D 2×2 (every block but the last)
///     → average pooling over time (`head: "time"`, keeps the frequency bands) or over the whole map
///       (`head: "global"`) → Dropout(dropout) → Linear(classes)
///
/// Why this shape: the CP-JKU / DCASE baselines are stacks of conv-BN-ReLU blocks with pooling and
/// a global pooling head; a learnt input BatchNorm stands in for a separate normalisation pass over
/// the training rows. Pooling over time makes the head independent of the clip length.
public struct CNNArchitecture: Codable, Equatable, Hashable, Sendable {
    public var channels: [Int]
    public var kernel: Int
    public var pool: String
    public var dropout: Float
    /// "time" (mean over time, per channel and frequency bin) or "global" (mean over the map).
    public var head: String

    public init(channels: [Int] = [16, 32, 64], kernel: Int = 3, pool: String = "max", dropout: Float = 0.2,
                head: String = "time") {
        self.channels = channels
        self.kernel = kernel
        self.pool = pool
        self.dropout = dropout
        self.head = head
    }

    /// Why this layout cannot be built for inputs of `shape`, or nil.
    public func problem(input shape: MapShape?) -> String? {
        if channels.isEmpty || channels.contains(where: { $0 < 1 }) { return "CNN channels \(channels) must be positive, at least one block" }
        if kernel < 1 || kernel % 2 == 0 { return "CNN kernel \(kernel) must be odd (a same convolution)" }
        if Pool2D.Kind(rawValue: pool) == nil { return "CNN pool '\(pool)' must be max or avg" }
        if !(dropout >= 0 && dropout < 1) { return "dropout \(dropout) must be in [0, 1)" }
        if head != "time", head != "global" { return "CNN head '\(head)' must be time or global" }
        if let shape {
            let shrink = 1 << (channels.count - 1)
            if shape.height < shrink || shape.width < shrink {
                return "features \(shape) are too small for \(channels.count - 1) 2×2 poolings (need at least \(shrink)×\(shrink))"
            }
        }
        return nil
    }
}
