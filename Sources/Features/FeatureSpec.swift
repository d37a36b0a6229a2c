import Foundation

/// One representation a pipeline asks for: its column name, its kind, and the kind's parameters.
///
/// In YAML:
/// ```yaml
/// features:
///   - name: logmel64
///     kind: logmel
///     n_fft: 2048
///     win_length: 1764
///     hop_length: 882
///     n_mels: 64
/// ```
/// Kinds: `logmel` (LogMelParameters), `gammatone` (GammatoneParameters), `foa`
/// (FOAParameters, 4-channel W Y Z X input), `tgram` (TgramParameters), `esgram` (ESgramParameters:
/// the `logmel` keys with Sgram defaults plus `alpha`, `median`, `ddof`, `mu`, `mu_value`,
/// `stats_domain`, `stack_logmel`). For example SPSMR's Gamma:
/// ```yaml
///   - {name: gamma64, kind: gammatone, framing: scipy, input_scale: 2147483648, log: gtg_in_db}
/// ```
/// The sample rate comes from the pipeline's audio section when a kind's `sr` is not given.
/// Encoding writes every parameter actually used (defaults included) into the manifest.
public struct FeatureSpec: Codable, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case logmel(LogMelParameters)
        case gammatone(GammatoneParameters)
        case foa(FOAParameters)
        case tgram(TgramParameters)
        case esgram(ESgramParameters)
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The names accepted in `kind:`.
    public static let kindNames = ["logmel", "gammatone", "foa", "tgram", "esgram"]

    enum CodingKeys: String, CodingKey { case name, kind }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        let kindName = try c.decode(String.self, forKey: .kind)
        switch kindName {
        case "logmel": kind = .logmel(try LogMelParameters(from: decoder))
        case "gammatone": kind = .gammatone(try GammatoneParameters(from: decoder))
        case "foa": kind = .foa(try FOAParameters(from: decoder))
        case "tgram": kind = .tgram(try TgramParameters(from: decoder))
        case "esgram": kind = .esgram(try ESgramParameters(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c,
                debugDescription: "unknown feature kind '\(kindName)' (known: \(Self.kindNames.joined(separator: ", ")))")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        switch kind {
        case .logmel(let p):
            try c.encode("logmel", forKey: .kind)
            try p.encode(to: encoder)
        case .gammatone(let p):
            try c.encode("gammatone", forKey: .kind)
            try p.encode(to: encoder)
        case .foa(let p):
            try c.encode("foa", forKey: .kind)
            try p.encode(to: encoder)
        case .tgram(let p):
            try c.encode("tgram", forKey: .kind)
            try p.encode(to: encoder)
        case .esgram(let p):
            try c.encode("esgram", forKey: .kind)
            try p.encode(to: encoder)
        }
    }

    /// The kind's sample rate parameter.
    public var sampleRate: Int {
        switch kind {
        case .logmel(let p): return p.sr
        case .gammatone(let p): return p.sr
        case .foa(let p): return p.sr
        case .tgram(let p): return p.sr
        case .esgram(let p): return p.logmel.sr
        }
    }

    /// Sets the sample rate when the YAML left it out (the pipeline's audio rate is the default).
    public mutating func setSampleRateIfDefault(_ rate: Int, explicit: Bool) {
        guard !explicit else { return }
        switch kind {
        case .logmel(var p):
            p.sr = rate
            kind = .logmel(p)
        case .gammatone(var p):
            p.sr = rate
            kind = .gammatone(p)
        case .foa(var p):
            p.sr = rate
            kind = .foa(p)
        case .tgram(var p):
            p.sr = rate
            kind = .tgram(p)
        case .esgram(var p):
            p.logmel.sr = rate
            kind = .esgram(p)
        }
    }

    public func makeExtractor() -> any FeatureExtractor {
        switch kind {
        case .logmel(let p): return LogMel(name: name, parameters: p)
        case .gammatone(let p): return Gammatone(name: name, parameters: p)
        case .foa(let p): return FOAFeatures(name: name, parameters: p)
        case .tgram(let p): return Tgram(name: name, parameters: p)
        case .esgram(let p): return ESgram(name: name, parameters: p)
        }
    }
}
