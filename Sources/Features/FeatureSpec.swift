import ConfigCoding
import Foundation

/// One representation a pipeline asks for: its column name, its kind, and the kind's parameters.
///
/// In YAML, the parameters sit beside `name` and `kind`, under the reference's names:
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
/// A key the kind does not read is refused (`unknown key 'n_mel' in features[0]; did you mean
/// 'n_mels'?`); impossible values are `problems`, checked before any extractor is built.
/// Encoding writes every parameter actually used (defaults included) into the manifest.
public struct FeatureSpec: Codable, Equatable, Sendable {
    /// Every representation a pipeline can name, in the order `kindNames` lists them.
    public static let registry: [any FeatureParameters.Type] = [
        LogMelParameters.self, MFCCParameters.self, CQTParameters.self, GammatoneParameters.self,
        FOAParameters.self, TgramParameters.self, ESgramParameters.self, CPJKUMelParameters.self,
    ]

    /// The names accepted in `kind:`.
    public static var kindNames: [String] { registry.map { $0.kind } }

    /// The store column is `/features/<name>`.
    public var name: String
    public var parameters: any FeatureParameters

    public init(name: String, parameters: any FeatureParameters) {
        self.name = name
        self.parameters = parameters
    }

    public var kind: String { type(of: parameters).kind }

    /// The rate this representation is computed at (`sr`); a pipeline sets it to its audio rate when
    /// the file leaves `sr` out.
    public var sampleRate: Int {
        get { parameters.sampleRate }
        set { parameters.sampleRate = newValue }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, kind }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        let kindName = try c.decode(String.self, forKey: .kind)
        guard let type = Self.registry.first(where: { $0.kind == kindName }) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c,
                debugDescription: "unknown feature kind '\(kindName)' (known: \(Self.kindNames.joined(separator: ", ")))")
        }
        // The parameters share the entry's object with `name` and `kind`: one strict decode of the
        // whole entry, so an unknown key is refused and the suggestion sees every key of the entry.
        parameters = try type.decodeStrictly(from: decoder, besides: CodingKeys.allCases.map(\.rawValue))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try parameters.encode(to: encoder)
    }

    /// Two specs are equal when they name the same column and encode to the same parameters.
    public static func == (lhs: FeatureSpec, rhs: FeatureSpec) -> Bool {
        guard lhs.name == rhs.name, lhs.kind == rhs.kind else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(lhs)) == (try? encoder.encode(rhs))
    }

    public func makeExtractor() -> any FeatureExtractor { parameters.makeExtractor(name: name) }

    /// Every reason the parameters cannot work (a size, a rate, CQT filters above Nyquist, an
    /// unreadable Tgram weights file), keys relative to the entry.
    public var problems: [ConfigProblem] { parameters.configurationProblems() }

    /// What the reference would only warn about (keys relative to the entry).
    public var warnings: [ConfigProblem] { parameters.configurationWarnings() }

    /// Throws when the parameters cannot work, so a pipeline fails before reading any clip instead
    /// of crashing in a constructor or rejecting every clip.
    public func validate() throws {
        let problems = self.problems
        if !problems.isEmpty {
            throw FeatureError("feature '\(name)' (\(kind)): " + problems.map(\.description).joined(separator: "; "))
        }
    }
}
