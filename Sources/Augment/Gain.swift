import Foundation

/// A random gain (torch-audiomentations `Gain`): with probability `p`, the clip is scaled by
/// `10^(g/20)` with `g ~ U[min_gain_in_db, max_gain_in_db)`.
public struct Gain: WaveformAugmentation {
    public struct Parameters: Codable, Equatable, Sendable {
        /// torch-audiomentations defaults: -18 dB, +6 dB, p 0.5.
        public var minGainInDB: Double = -18
        public var maxGainInDB: Double = 6
        public var p: Double = 0.5
        public init() {}
        enum CodingKeys: String, CodingKey { case minGainInDB = "min_gain_in_db", maxGainInDB = "max_gain_in_db", p }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            minGainInDB = try c.decodeIfPresent(Double.self, forKey: .minGainInDB) ?? -18
            maxGainInDB = try c.decodeIfPresent(Double.self, forKey: .maxGainInDB) ?? 6
            p = try c.decodeIfPresent(Double.self, forKey: .p) ?? 0.5
            guard minGainInDB <= maxGainInDB, minGainInDB.isFinite, maxGainInDB.isFinite else {
                throw AugmentError("gain: min_gain_in_db \(minGainInDB) must be <= max_gain_in_db \(maxGainInDB)")
            }
            guard (0...1).contains(p) else { throw AugmentError("gain.p \(p) is not a probability in [0, 1]") }
        }
    }

    public struct Draw: DrawRecord {
        /// The gain applied in dB (0 when not applied).
        public var gainDB: Double
        public var columns: [(String, DrawValue)] { [("gain_db", .float(gainDB))] }
    }

    public static let name = "gain"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    public func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw {
        let u = random.uniform()
        let g = random.uniform(parameters.minGainInDB, parameters.maxGainInDB)
        guard u < parameters.p else { return Draw(gainDB: 0) }
        let scale = Float(pow(10, g / 20))
        clip.channels = clip.channels.map { $0.map { $0 * scale } }
        return Draw(gainDB: g)
    }
}
