/// The waveform steps of an `augment:` section, built once (the bank's spectra shared by every worker)
/// and applied to one clip with draws from the row's seed: step i draws from the sub-stream
/// `"<i>:<name>"` of `AugmentRandom(seed: row seed)`, so a step's draws do not depend on the others.
public struct WaveformChain: Sendable {
    public let steps: [any WaveformAugmentation]

    public init(_ config: [AugmentStep], bank: ImpulseResponseBank?) throws {
        steps = try config.map { step -> any WaveformAugmentation in
            switch step {
            case .dir(let p):
                guard let bank else { throw AugmentError("augment: dir needs the impulse-response bank (input micirp)") }
                return DeviceImpulseResponse(parameters: p, bank: bank)
            case .adir(let p):
                guard let bank else { throw AugmentError("augment: adir needs the impulse-response bank (input micirp)") }
                return AdaptiveDeviceImpulseResponse(parameters: p, bank: bank)
            case .channelSwap(let p): return FOAChannelSwap(parameters: p)
            case .crop(let p): return RandomCrop(parameters: p)
            case .roll(let p): return TimeRoll(parameters: p)
            case .gain(let p): return Gain(parameters: p)
            }
        }
    }

    /// One step's draws as store columns: `aug/<name>/<draw>`.
    public struct Record: Sendable, Equatable {
        public var augmentation: String
        public var columns: [(String, DrawValue)]
        public static func == (a: Record, b: Record) -> Bool {
            a.augmentation == b.augmentation && a.columns.map(\.0) == b.columns.map(\.0) && a.columns.map(\.1) == b.columns.map(\.1)
        }
    }

    public func apply(to clip: inout WaveformClip, seed: UInt64) throws -> [Record] {
        let root = AugmentRandom(seed: seed)
        var records: [Record] = []
        for (i, step) in steps.enumerated() {
            let name = type(of: step).name
            var random = root.substream("\(i):\(name)")
            records.append(Record(augmentation: name, columns: try WaveformChain.run(step, &clip, &random)))
        }
        return records
    }

    private static func run<A: WaveformAugmentation>(_ step: A, _ clip: inout WaveformClip, _ random: inout AugmentRandom) throws -> [(String, DrawValue)] {
        try step.apply(to: &clip, random: &random).columns
    }

    /// The store columns the chain writes, in order, with whether each is an integer.
    public static func columns(of config: [AugmentStep]) -> [(column: String, isInteger: Bool)] {
        config.flatMap { step -> [(String, Bool)] in
            let names: [(String, Bool)]
            switch step {
            case .dir: names = [("applied", true), ("index", true)]
            case .adir: names = [("applied", true), ("index", true), ("energy", false)]
            case .channelSwap: names = [("transform", true)]
            case .crop: names = [("offset", true)]
            case .roll: names = [("shift", true)]
            case .gain: names = [("gain_db", false)]
            }
            return names.map { ("aug/\(step.name)/\($0.0)", $0.1) }
        }
    }
}
