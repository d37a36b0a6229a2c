/// torchaudio's `FrequencyMasking` / `TimeMasking` with `iid_masks=True` (features.md §7.3): one
/// mask per row and channel, `value = U·mask_param`, `min_value = U·(size - value)`,
/// `start = ⌊min_value⌋`, `end = start + ⌊value⌋`, filled with `mask_value` (torchaudio 2.x
/// `mask_along_axis_iid`; all `value`s are drawn first, then all `min_value`s, in float32 as torch).
public struct Masking: Sendable {
    public enum Axis: String, Codable, Sendable {
        case frequency
        case time
    }

    public struct Parameters: Codable, Equatable, Sendable {
        /// `freq_mask_param` / `time_mask_param`: CP-JKU `freqm` 48, `timem` 0 (off).
        public var maskParam: Int = 48
        public var axis: Axis = .frequency
        /// torchaudio `p`: the mask is at most `p` of the axis (1.0 = `mask_param` alone bounds it).
        public var p: Double = 1
        public var maskValue: Float = 0
        public init() {}
        public init(maskParam: Int, axis: Axis, p: Double = 1, maskValue: Float = 0) {
            self.maskParam = maskParam
            self.axis = axis
            self.p = p
            self.maskValue = maskValue
        }
        enum CodingKeys: String, CodingKey { case maskParam = "mask_param", axis, p, maskValue = "mask_value" }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maskParam = try c.decodeIfPresent(Int.self, forKey: .maskParam) ?? 48
            axis = try c.decodeIfPresent(Axis.self, forKey: .axis) ?? .frequency
            p = try c.decodeIfPresent(Double.self, forKey: .p) ?? 1
            maskValue = try c.decodeIfPresent(Float.self, forKey: .maskValue) ?? 0
            guard maskParam >= 0 else { throw AugmentError("mask.mask_param \(maskParam) must be >= 0") }
            guard (0...1).contains(p) else { throw AugmentError("mask.p \(p) is not in [0, 1]") }
        }
    }

    /// Per (row, channel), row-major: the masked range `start..<start + width` along the axis.
    public struct Draw: Codable, Equatable, Sendable {
        public var starts: [Int]
        public var widths: [Int]
        public init(starts: [Int], widths: [Int]) {
            self.starts = starts
            self.widths = widths
        }
    }

    public static let name = "mask"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    /// torchaudio `_get_mask_param`.
    public func effectiveMaskParam(axisLength: Int) -> Int {
        parameters.p == 1 ? parameters.maskParam : min(parameters.maskParam, Int(Double(axisLength) * parameters.p))
    }

    public func draw(masks: Int, axisLength: Int, random: inout AugmentRandom) -> Draw {
        let param = effectiveMaskParam(axisLength: axisLength)
        guard param >= 1 else { return Draw(starts: Array(repeating: 0, count: masks), widths: Array(repeating: 0, count: masks)) }
        var value = [Float](repeating: 0, count: masks)
        for i in 0..<masks { value[i] = random.uniformFloat() }
        var starts = [Int](repeating: 0, count: masks)
        var widths = [Int](repeating: 0, count: masks)
        for i in 0..<masks {
            (starts[i], widths[i]) = Masking.range(valueUniform: value[i], minUniform: random.uniformFloat(),
                                                   maskParam: param, axisLength: axisLength)
        }
        return Draw(starts: starts, widths: widths)
    }

    /// torchaudio's formula from its two float32 uniforms: `value = u1·mask_param`,
    /// `min_value = u2·(size - value)`, `start = ⌊min_value⌋`, `width = ⌊value⌋`.
    public static func range(valueUniform u1: Float, minUniform u2: Float, maskParam: Int, axisLength: Int) -> (start: Int, width: Int) {
        let value = u1 * Float(maskParam)
        let minValue = u2 * (Float(axisLength) - value)
        return (Int(minValue), Int(value))
    }

    public func apply(to batch: inout Batch, random: inout AugmentRandom) throws -> Draw {
        let length = parameters.axis == .frequency ? batch.bins : batch.frames
        let d = draw(masks: batch.rows * batch.channels, axisLength: length, random: &random)
        try apply(d, to: &batch)
        return d
    }

    public func apply(_ draw: Draw, to batch: inout Batch) throws {
        let (B, C, T, F) = (batch.rows, batch.channels, batch.frames, batch.bins)
        let masks = B * C
        guard draw.starts.count == masks, draw.widths.count == masks else {
            throw AugmentError("mask: \(draw.starts.count) draws for \(masks) (row, channel) pairs")
        }
        let fill = parameters.maskValue
        batch.values.withUnsafeMutableBufferPointer { v in
            for m in 0..<masks {
                let lo = max(0, draw.starts[m])
                let base = m * T * F
                switch parameters.axis {
                case .frequency:
                    let hi = min(F, draw.starts[m] + draw.widths[m])
                    guard lo < hi else { continue }
                    for t in 0..<T { for f in lo..<hi { v[base + t * F + f] = fill } }
                case .time:
                    let hi = min(T, draw.starts[m] + draw.widths[m])
                    guard lo < hi else { continue }
                    for t in lo..<hi { for f in 0..<F { v[base + t * F + f] = fill } }
                }
            }
        }
    }
}
