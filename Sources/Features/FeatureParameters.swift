import Foundation

/// The parameters of one kind of representation: `Codable` under the reference implementation's
/// names and defaults, and a factory for the extractor they describe.
///
/// Adding a representation means writing its extractor, conforming its parameters here, and
/// listing the type in `FeatureSpec.registry`; pipelines and manifests then know it by `kind`.
public protocol FeatureParameters: Codable, Sendable {
    /// The `kind:` that names these parameters in pipeline files and manifests.
    static var kind: String { get }
    /// The sample rate the parameters assume (the pipeline resamples each clip to it).
    var sampleRate: Int { get set }
    func makeExtractor(name: String) -> any FeatureExtractor
    /// Why an extractor with these parameters cannot run (checked before any clip is read), or nil.
    func configurationProblem() -> String?
}

extension FeatureParameters {
    public func configurationProblem() -> String? { nil }
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
    public func configurationProblem() -> String? { MFCC(name: Self.kind, parameters: self).configurationError }
}

extension CQTParameters: FeatureParameters {
    public static let kind = "cqt"
    public var sampleRate: Int { get { sr } set { sr = newValue } }
    public func makeExtractor(name: String) -> any FeatureExtractor { CQT(name: name, parameters: self) }
    public func configurationProblem() -> String? { CQT(name: Self.kind, parameters: self).configurationError }
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
    public func configurationProblem() -> String? { Tgram(name: Self.kind, parameters: self).loadError?.description }
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
    public func configurationProblem() -> String? { CPJKUMel(name: Self.kind, parameters: self).configurationError?.description }
}
