/// CP-JKU's time roll (features.md §7.1): `x.roll(shift)` with `shift ~ U{-roll_range..roll_range}`
/// (`np.random.random_integers`, both ends included): `out[i] = x[(i - shift) mod n]`.
public struct TimeRoll: WaveformAugmentation {
    public struct Parameters: Codable, Equatable, Sendable {
        /// 4000 samples (0.125 s at 32 kHz) in `dcase23.py`.
        public var rollRange: Int = 4000
        public init() {}
        enum CodingKeys: String, CodingKey { case rollRange = "roll_range" }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rollRange = try c.decodeIfPresent(Int.self, forKey: .rollRange) ?? 4000
            guard rollRange >= 0 else { throw AugmentError("roll.roll_range \(rollRange) must be >= 0") }
        }
    }

    public struct Draw: DrawRecord {
        public var shift: Int
        public var columns: [(String, DrawValue)] { [("shift", .int(Int64(shift)))] }
    }

    public static let name = "roll"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    public func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw {
        let shift = random.integer(in: -parameters.rollRange...parameters.rollRange)
        clip.channels = clip.channels.map { TimeRoll.roll($0, by: shift) }
        return Draw(shift: shift)
    }

    public static func roll(_ x: [Float], by shift: Int) -> [Float] {
        let n = x.count
        guard n > 0 else { return x }
        let s = ((shift % n) + n) % n
        return Array(x[(n - s)...] + x[..<(n - s)])
    }
}
