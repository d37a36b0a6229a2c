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
/// The sample rate comes from the pipeline's audio section when a kind's `sr` is not given.
/// Encoding writes every parameter actually used (defaults included) into the manifest.
public struct FeatureSpec: Codable, Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case logmel(LogMelParameters)
        case mfcc(MFCCParameters)
        case cqt(CQTParameters)
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The names accepted in `kind:`.
    public static let kindNames = ["logmel", "mfcc", "cqt"]

    enum CodingKeys: String, CodingKey { case name, kind }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        let kindName = try c.decode(String.self, forKey: .kind)
        switch kindName {
        case "logmel": kind = .logmel(try LogMelParameters(from: decoder))
        case "mfcc": kind = .mfcc(try MFCCParameters(from: decoder))
        case "cqt": kind = .cqt(try CQTParameters(from: decoder))
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
        case .mfcc(let p):
            try c.encode("mfcc", forKey: .kind)
            try p.encode(to: encoder)
        case .cqt(let p):
            try c.encode("cqt", forKey: .kind)
            try p.encode(to: encoder)
        }
    }

    /// The kind's sample rate parameter.
    public var sampleRate: Int {
        switch kind {
        case .logmel(let p): return p.sr
        case .mfcc(let p): return p.sr
        case .cqt(let p): return p.sr
        }
    }

    /// Sets the sample rate when the YAML left it out (the pipeline's audio rate is the default).
    public mutating func setSampleRateIfDefault(_ rate: Int, explicit: Bool) {
        guard !explicit else { return }
        switch kind {
        case .logmel(var p):
            p.sr = rate
            kind = .logmel(p)
        case .mfcc(var p):
            p.sr = rate
            kind = .mfcc(p)
        case .cqt(var p):
            p.sr = rate
            kind = .cqt(p)
        }
    }

    public func makeExtractor() -> any FeatureExtractor {
        switch kind {
        case .logmel(let p): return LogMel(name: name, parameters: p)
        case .mfcc(let p): return MFCC(name: name, parameters: p)
        case .cqt(let p): return CQT(name: name, parameters: p)
        }
    }

    /// Checks what only the final parameters can tell (call after `setSampleRateIfDefault`), e.g.
    /// CQT filters above Nyquist at this sample rate: `makeExtractor` never fails, but an invalid
    /// extractor fails every clip, so a pipeline should call this first.
    public func validate() throws {
        let problem: String?
        switch kind {
        case .logmel: problem = nil
        case .mfcc(let p): problem = MFCC(name: name, parameters: p).configurationError
        case .cqt(let p): problem = CQT(name: name, parameters: p).configurationError
        }
        if let problem { throw FeatureError("feature '\(name)': \(problem)") }
    }
}
