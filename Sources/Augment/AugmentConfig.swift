/// A pipeline's `augment:` section: the waveform augmentations in the order they apply, how many
/// augmented variants each selected recording gets, which recordings are selected and whether the
/// original (variant 0) is kept.
///
/// ```yaml
/// augment:
///   variants: 2                # K: rows 1...K of each selected recording
///   splits: [train]            # default: the train split only
///   devices: [a]               # default: every device
///   keep_original: true        # default: variant 0 stays
///   steps:
///     - adir: {p_a: 0.6, threshold: 323, energy: sum_of_squares}
///     - gain: {min_gain_in_db: -6, max_gain_in_db: 6}
/// ```
public struct AugmentConfig: Codable, Equatable, Sendable {
    public var steps: [AugmentStep]
    public var variants: Int
    public var splits: [String]
    /// `nil` = every device.
    public var devices: [String]?
    public var keepOriginal: Bool

    public init(steps: [AugmentStep], variants: Int, splits: [String] = ["train"], devices: [String]? = nil, keepOriginal: Bool = true) throws {
        self.steps = steps
        self.variants = variants
        self.splits = splits
        self.devices = devices
        self.keepOriginal = keepOriginal
        try validate()
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case steps, variants, splits, devices, keepOriginal = "keep_original" }

    public init(from decoder: Decoder) throws {
        try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue), section: "augment")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        steps = try c.decode([AugmentStep].self, forKey: .steps)
        variants = try c.decode(Int.self, forKey: .variants)
        splits = try c.decodeIfPresent([String].self, forKey: .splits) ?? ["train"]
        devices = try c.decodeIfPresent([String].self, forKey: .devices)
        keepOriginal = try c.decodeIfPresent(Bool.self, forKey: .keepOriginal) ?? true
        try validate()
    }

    func validate() throws {
        guard variants >= 1 else { throw AugmentError("augment.variants is \(variants): at least 1 augmented variant per selected recording (or remove the augment section)") }
        guard variants <= 1000 else { throw AugmentError("augment.variants \(variants) is more than 1000") }
        guard !steps.isEmpty else { throw AugmentError("augment.steps is empty: name at least one augmentation") }
        guard !splits.isEmpty else { throw AugmentError("augment.splits is empty: no row would get a variant") }
        if let devices, devices.isEmpty { throw AugmentError("augment.devices is empty: no row would get a variant (omit it for every device)") }
    }

    /// Whether a recording of `split` and `device` gets variants 1...K.
    public func selects(split: String, device: String?) -> Bool {
        splits.contains(split) && DeviceFilter.matches(device, devices)
    }

    /// Checks the section against the pipeline it sits in, before any work: a channel swap needs FOA
    /// (4 channels, W Y Z X); DIR/ADIR need an impulse-response bank.
    public func check(channelCount: Int?, isFOA: Bool, hasBank: Bool) throws {
        for step in steps {
            switch step {
            case .channelSwap:
                guard isFOA, channelCount == 4 else {
                    throw AugmentError("augment: channel_swap needs an FOA pipeline (4 channels W, Y, Z, X and an foa feature); this pipeline has \(channelCount.map { "\($0) channels" } ?? "a variable channel count")")
                }
            case .dir, .adir:
                guard hasBank else { throw AugmentError("augment: \(step.name) needs the impulse-response bank (input micirp: --data with MicIRP/ or --path micirp=DIR)") }
            default: break
            }
        }
    }

    public var needsBank: Bool { steps.contains { if case .dir = $0 { return true }; if case .adir = $0 { return true }; return false } }
}

/// One entry of `augment.steps`: a one-key map from the augmentation's name to its parameters.
public enum AugmentStep: Codable, Equatable, Sendable {
    case dir(DeviceImpulseResponse.Parameters)
    case adir(AdaptiveDeviceImpulseResponse.Parameters)
    case channelSwap(FOAChannelSwap.Parameters)
    case crop(RandomCrop.Parameters)
    case roll(TimeRoll.Parameters)
    case gain(Gain.Parameters)

    public static let names = [DeviceImpulseResponse.name, AdaptiveDeviceImpulseResponse.name, FOAChannelSwap.name,
                               RandomCrop.name, TimeRoll.name, Gain.name]

    public var name: String {
        switch self {
        case .dir: DeviceImpulseResponse.name
        case .adir: AdaptiveDeviceImpulseResponse.name
        case .channelSwap: FOAChannelSwap.name
        case .crop: RandomCrop.name
        case .roll: TimeRoll.name
        case .gain: Gain.name
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw AugmentError("augment.steps: each entry is one augmentation name with its parameters, got \(c.allKeys.map(\.stringValue))")
        }
        func parameters<P: Decodable>(_ type: P.Type, keys: [String]) throws -> P {
            let nested = try c.superDecoder(forKey: key)
            try StrictKeys.check(nested, allowed: keys, section: "augment.steps.\(key.stringValue)")
            return try P(from: nested)
        }
        switch key.stringValue {
        case DeviceImpulseResponse.name: self = .dir(try parameters(DeviceImpulseResponse.Parameters.self, keys: ["dir_prob", "devices"]))
        case AdaptiveDeviceImpulseResponse.name:
            self = .adir(try parameters(AdaptiveDeviceImpulseResponse.Parameters.self, keys: ["p_a", "threshold", "energy", "devices"]))
        case FOAChannelSwap.name: self = .channelSwap(try parameters(FOAChannelSwap.Parameters.self, keys: ["p", "transforms"]))
        case RandomCrop.name: self = .crop(try parameters(RandomCrop.Parameters.self, keys: ["length", "alignment"]))
        case TimeRoll.name: self = .roll(try parameters(TimeRoll.Parameters.self, keys: ["roll_range"]))
        case Gain.name: self = .gain(try parameters(Gain.Parameters.self, keys: ["min_gain_in_db", "max_gain_in_db", "p"]))
        default:
            throw AugmentError("augment.steps: unknown augmentation '\(key.stringValue)' (known: \(AugmentStep.names.joined(separator: ", ")))")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        let key = AnyKey(stringValue: name)!
        switch self {
        case .dir(let p): try c.encode(p, forKey: key)
        case .adir(let p): try c.encode(p, forKey: key)
        case .channelSwap(let p): try c.encode(p, forKey: key)
        case .crop(let p): try c.encode(p, forKey: key)
        case .roll(let p): try c.encode(p, forKey: key)
        case .gain(let p): try c.encode(p, forKey: key)
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Refuses a key the section does not know (a typo must not quietly fall back to a default).
enum StrictKeys {
    static func check(_ decoder: Decoder, allowed: [String], section: String) throws {
        guard let c = try? decoder.container(keyedBy: AnyKey.self) else { return }
        for key in c.allKeys where !allowed.contains(key.stringValue) {
            throw AugmentError("\(section): unknown key '\(key.stringValue)' (known: \(allowed.joined(separator: ", ")))")
        }
    }
}
