import Foundation

/// ADIR (seed 001, Eq. 3; features.md §7.2): `x` if `E(x) <= E_thr`, otherwise `x ⊛ h_dir` with
/// probability `p_A` (and, as in CP-JKU, only for `devices`). The paper defines neither E nor p_A:
/// the energy definition and threshold are options, and every draw records the clip's energy so a
/// store can report the observed mean to check the paper's "average value of 323".
public struct AdaptiveDeviceImpulseResponse: WaveformAugmentation {
    /// E(x) over every sample of every channel of the model-rate waveform, before other augmentation.
    public enum Energy: String, Codable, Sendable, CaseIterable {
        /// Σ x² (proposed: 323 is then an RMS of 0.100, -20 dBFS, for a 1-s 32-kHz clip).
        case sumOfSquares = "sum_of_squares"
        case meanSquare = "mean_square"
        case rms
        case sumOfAbsolute = "sum_of_absolute"

        public func of(_ channels: [[Float]]) -> Double {
            var sum = 0.0
            var count = 0
            for channel in channels {
                count += channel.count
                switch self {
                case .sumOfAbsolute: for v in channel { sum += Double(abs(v)) }
                default: for v in channel { sum += Double(v) * Double(v) }
                }
            }
            switch self {
            case .sumOfSquares, .sumOfAbsolute: return sum
            case .meanSquare: return count > 0 ? sum / Double(count) : 0
            case .rms: return count > 0 ? (sum / Double(count)).squareRoot() : 0
            }
        }
    }

    public struct Parameters: Codable, Equatable, Sendable {
        /// p_A, unstated in the paper: CP-JKU's `dir_prob` 0.6, which DS-FlexiNet's DIR derives from.
        public var pA: Double = 0.6
        /// E_thr: "an average value of 323" (seed 001).
        public var threshold: Double = 323
        public var energy: Energy = .sumOfSquares
        public var devices: [String]? = ["a"]
        public init() {}
        enum CodingKeys: String, CodingKey { case pA = "p_a", threshold, energy, devices }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pA = try c.decodeIfPresent(Double.self, forKey: .pA) ?? 0.6
            threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? 323
            energy = try c.decodeIfPresent(Energy.self, forKey: .energy) ?? .sumOfSquares
            devices = try c.decodeIfPresent([String].self, forKey: .devices) ?? ["a"]
            guard (0...1).contains(pA) else { throw AugmentError("adir.p_a \(pA) is not a probability in [0, 1]") }
            guard threshold.isFinite, threshold >= 0 else { throw AugmentError("adir.threshold \(threshold) must be finite and >= 0") }
        }
    }

    public struct Draw: DrawRecord {
        public var applied: Bool
        public var index: Int
        /// E(x) of the clip before convolution (drawn for every clip, applied or not).
        public var energy: Double
        public var columns: [(String, DrawValue)] {
            [("applied", .int(applied ? 1 : 0)), ("index", .int(Int64(index))), ("energy", .float(energy))]
        }
    }

    public static let name = "adir"
    public let parameters: Parameters
    public let bank: ImpulseResponseBank

    public init(parameters: Parameters = Parameters(), bank: ImpulseResponseBank) {
        self.parameters = parameters
        self.bank = bank
    }

    public func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw {
        try bank.requireRate(clip.sampleRate)
        let energy = parameters.energy.of(clip.channels)
        let u = random.uniform()
        let index = random.integer(below: bank.count)
        guard DeviceFilter.matches(clip.device, parameters.devices), u < parameters.pA, energy > parameters.threshold else {
            return Draw(applied: false, index: -1, energy: energy)
        }
        bank.convolve(&clip.channels, with: index)
        return Draw(applied: true, index: index, energy: energy)
    }
}
