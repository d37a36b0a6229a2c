/// Segment cropping (features.md §8.3): a random `length`-second segment of a longer recording, its
/// offset a multiple of `alignment` samples so label frames stay aligned (DCASE SELD label frames
/// are 100 ms: 2400 samples at 24 kHz). The offset is recorded; a caller
/// holding frame targets cuts them at `offset / alignment` label frames.
public struct RandomCrop: WaveformAugmentation {
    public struct Parameters: Codable, Equatable, Sendable {
        /// Segment length in seconds; in a pipeline, unset means `audio.duration` (and must equal it).
        public var length: Double?
        /// Offsets are multiples of this many samples.
        public var alignment: Int = 1
        public init() {}
        public init(length: Double?, alignment: Int = 1) {
            self.length = length
            self.alignment = alignment
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            length = try c.decodeIfPresent(Double.self, forKey: .length)
            alignment = try c.decodeIfPresent(Int.self, forKey: .alignment) ?? 1
            if let length, !(length > 0 && length.isFinite) { throw AugmentError("crop.length \(length) must be a positive number of seconds") }
            guard alignment >= 1 else { throw AugmentError("crop.alignment \(alignment) must be >= 1 sample") }
        }
    }

    public struct Draw: DrawRecord {
        /// First sample of the segment in the input.
        public var offset: Int
        public var columns: [(String, DrawValue)] { [("offset", .int(Int64(offset)))] }
    }

    public static let name = "crop"
    public let parameters: Parameters
    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    public func segmentLength(sampleRate: Int) -> Int? { parameters.length.map { Int(($0 * Double(sampleRate)).rounded()) } }

    public func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw {
        let n = clip.sampleCount
        guard let m = segmentLength(sampleRate: clip.sampleRate) else { throw AugmentError("crop.length is not set") }
        guard m <= n else { throw AugmentError("crop of \(m) samples asked of a clip of \(n) samples") }
        let steps = (n - m) / parameters.alignment
        let offset = random.integer(in: 0...steps) * parameters.alignment
        clip.channels = clip.channels.map { Array($0[offset..<(offset + m)]) }
        return Draw(offset: offset)
    }
}
