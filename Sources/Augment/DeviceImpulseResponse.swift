/// CP-JKU's DIR augmentation (features.md §7.1): with probability `dir_prob`, a recording of one of
/// `devices` (device A only in CP-JKU) is convolved with a response drawn uniformly from the bank,
/// the full linear convolution truncated to the clip's length (causal, no gain normalisation).
public struct DeviceImpulseResponse: WaveformAugmentation {
    public struct Parameters: Codable, Equatable, Sendable {
        /// `dir_prob`: 0.6 in `run_training.py`, `run_qat.py`, `run_passt_training.py` (0.4 in CP-ResNet's and the README).
        public var dirProb: Double = 0.6
        /// Devices whose recordings are augmented; `nil` = every recording. CP-JKU: `["a"]`.
        public var devices: [String]? = ["a"]
        public init() {}
        enum CodingKeys: String, CodingKey { case dirProb = "dir_prob", devices }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dirProb = try c.decodeIfPresent(Double.self, forKey: .dirProb) ?? 0.6
            devices = try c.decodeIfPresent([String].self, forKey: .devices) ?? ["a"]
            guard (0...1).contains(dirProb) else { throw AugmentError("dir.dir_prob \(dirProb) is not a probability in [0, 1]") }
        }
    }

    public struct Draw: DrawRecord {
        public var applied: Bool
        /// The response's index in the bank (sorted-path order), -1 when not applied.
        public var index: Int
        public var columns: [(String, DrawValue)] { [("applied", .int(applied ? 1 : 0)), ("index", .int(Int64(index)))] }
    }

    public static let name = "dir"
    public let parameters: Parameters
    public let bank: ImpulseResponseBank

    public init(parameters: Parameters = Parameters(), bank: ImpulseResponseBank) {
        self.parameters = parameters
        self.bank = bank
    }

    public func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw {
        try bank.requireRate(clip.sampleRate)
        let u = random.uniform()
        let index = random.integer(below: bank.count)
        guard DeviceFilter.matches(clip.device, parameters.devices), u < parameters.dirProb else {
            return Draw(applied: false, index: -1)
        }
        bank.convolve(&clip.channels, with: index)
        return Draw(applied: true, index: index)
    }
}

/// Whether a recording's device is among those an augmentation is restricted to.
enum DeviceFilter {
    static func matches(_ device: String?, _ devices: [String]?) -> Bool {
        guard let devices else { return true }
        guard let device else { return false }
        return devices.contains(device)
    }
}

extension ImpulseResponseBank {
    func requireRate(_ rate: Int) throws {
        guard rate == sampleRate else {
            throw AugmentError("the impulse-response bank is at \(sampleRate) Hz but the clip is at \(rate) Hz")
        }
    }
}
