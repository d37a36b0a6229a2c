/// FOA channel swap / rotation (Mazzon et al. 2019; PSELDNets `Rotation.transform16`; features.md
/// §8.1): with probability `p`, one of the allowed transforms drawn uniformly is applied to W, Y, Z, X
/// **and to the clip's DOA targets**, never a blind channel permutation that would break the labels.
public struct FOAChannelSwap: WaveformAugmentation {
    public enum TransformSet: String, Codable, Sendable {
        /// All 16 (PSELDNets `transform16`).
        case all16
        /// The 8 that also map the tetrahedral MIC array onto itself (ACS of Wang et al., per format).
        case mic8
        public var numbers: [Int] { self == .all16 ? Array(0..<16) : FOATransform.micCompatible }
    }

    public struct Parameters: Codable, Equatable, Sendable {
        /// PSELDNets applies it with p = 0.8 per sample.
        public var p: Double = 0.8
        public var transforms: TransformSet = .all16
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            p = try c.decodeIfPresent(Double.self, forKey: .p) ?? 0.8
            transforms = try c.decodeIfPresent(TransformSet.self, forKey: .transforms) ?? .all16
            guard (0...1).contains(p) else { throw AugmentError("channel_swap.p \(p) is not a probability in [0, 1]") }
        }
    }

    public struct Draw: DrawRecord {
        /// The transform's number in features.md §8.1 (0 = identity, also when not applied).
        public var transform: Int
        public var columns: [(String, DrawValue)] { [("transform", .int(Int64(transform)))] }
    }

    public static let name = "channel_swap"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    public func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw {
        guard clip.channels.count == 4 else {
            throw AugmentError("channel_swap needs 4 FOA channels (W, Y, Z, X), the clip has \(clip.channels.count)")
        }
        let u = random.uniform()
        let numbers = parameters.transforms.numbers
        let pick = numbers[random.integer(below: numbers.count)]
        let number = u < parameters.p ? pick : 0
        let transform = FOATransform(number)
        if number != 0 {
            transform.apply(foa: &clip.channels)
            clip.directions = clip.directions.map(transform.apply)
        }
        return Draw(transform: number)
    }
}
