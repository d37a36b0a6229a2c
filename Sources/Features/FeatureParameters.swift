import ConfigCoding
import Foundation

/// The parameters of one kind of representation: `Codable` under the reference implementation's
/// names and defaults, and a factory for the extractor they describe.
///
/// Adding a representation means writing its extractor, conforming its parameters here, and
/// listing the type in `FeatureSpec.registry`; pipelines and manifests then know it by `kind`.
///
/// Decoding is strict and has one form (`ConfigFields`): defaults come from `init()`, and
/// `decodeFields` reads each key into its property; a key it does not read is an error. Validation
/// is separate (`configurationProblems`), because extractor constructors assume valid parameters
/// (a `win_length` above `n_fft` is a precondition failure in `Window.padded`).
public protocol FeatureParameters: Codable, Sendable {
    /// The `kind:` that names these parameters in pipeline files and manifests.
    static var kind: String { get }
    /// The reference's defaults.
    init()
    /// Reads every key of these parameters present in `fields` (a feature entry, flattened).
    static func decodeFields(_ fields: inout ConfigFields<Self>) throws
    /// The sample rate the parameters assume (the pipeline resamples each clip to it).
    var sampleRate: Int { get set }
    func makeExtractor(name: String) -> any FeatureExtractor
    /// Every reason an extractor with these parameters cannot run, each naming its key; checked
    /// before any extractor is built and before any clip is read. Empty when they can run.
    func configurationProblems() -> [ConfigProblem]
    /// What the reference would only warn about (e.g. empty mel filters), each naming its key.
    func configurationWarnings() -> [ConfigProblem]
}

extension FeatureParameters {
    public func configurationProblems() -> [ConfigProblem] { [] }
    public func configurationWarnings() -> [ConfigProblem] { [] }

    /// Decodes the object of `decoder` strictly: `besides` are keys its owner reads itself (a
    /// feature entry's `name` and `kind`).
    public static func decodeStrictly(from decoder: Decoder, besides keys: [String] = []) throws -> Self {
        var fields = try ConfigFields(decoder, defaults: Self())
        fields.accept(keys)
        try decodeFields(&fields)
        return try fields.finish()
    }
}

extension LogMelParameters: FeatureParameters {
    public static let kind = "logmel"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { LogMel(name: name, parameters: self) }
}

extension MFCCParameters: FeatureParameters {
    public static let kind = "mfcc"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { MFCC(name: name, parameters: self) }
}

extension CQTParameters: FeatureParameters {
    public static let kind = "cqt"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { CQT(name: name, parameters: self) }
}

extension GammatoneParameters: FeatureParameters {
    public static let kind = "gammatone"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { Gammatone(name: name, parameters: self) }
}

extension FOAParameters: FeatureParameters {
    public static let kind = "foa"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { FOAFeatures(name: name, parameters: self) }
}

extension TgramParameters: FeatureParameters {
    public static let kind = "tgram"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { Tgram(name: name, parameters: self) }
}

extension ESgramParameters: FeatureParameters {
    public static let kind = "esgram"
    public var sampleRate: Int { get { logmel.sr } set { logmel.sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { ESgram(name: name, parameters: self) }
}

extension CPJKUMelParameters: FeatureParameters {
    public static let kind = "cpjku_mel"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { CPJKUMel(name: name, parameters: self) }
}
