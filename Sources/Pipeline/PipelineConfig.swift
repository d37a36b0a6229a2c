import AudioIO
import Augment
import ConfigCoding
import Features
import Foundation
import Yams

/// A pipeline file (pipelines/*.yaml): what to read, how to prepare the audio, which
/// representations to compute, and how to write the store.
///
/// ```yaml
/// name: ingest
/// inputs:
///   corpora: [tau2020, cochlscene, cas2023]
/// audio:
///   sample_rate: 44100
///   channels: mono
///   duration: 10.0
///   resampler: soxr_hq
/// features:
///   - {name: logmel64, kind: logmel, n_fft: 2048, win_length: 1764, hop_length: 882, n_mels: 64}
/// output:
///   shard_rows: 128
///   seed: 0
/// ```
public struct PipelineConfig: Codable, Equatable, Sendable {
    public var name: String
    public var description: String?
    public var inputs: InputSpec
    public var audio: AudioPolicy
    public var features: [FeatureSpec]
    public var output: OutputSpec
    /// Offline augmented variants (`augment:`): nil = every recording is one row as published.
    public var augment: AugmentConfig?

    public init(name: String, description: String? = nil, inputs: InputSpec, audio: AudioPolicy,
                features: [FeatureSpec], output: OutputSpec = OutputSpec(), augment: AugmentConfig? = nil) {
        self.name = name
        self.description = description
        self.inputs = inputs
        self.audio = audio
        self.features = features
        self.output = output
        self.augment = augment
    }

    enum CodingKeys: String, CodingKey { case name, description, inputs, audio, features, output, augment }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: PipelineConfig(name: "", inputs: InputSpec(), audio: AudioPolicy(), features: []))
        try f.require("name", \.name)
        try f.decode("description", \.description)
        try f.decode("inputs", \.inputs)
        try f.decode("audio", \.audio)
        try f.require("features", \.features)
        try f.decode("output", \.output)
        try f.decode("augment", \.augment)
        self = try f.finish()
        // A feature's `sr` defaults to the pipeline's audio rate. A feature may ask for another rate
        // (SPS's code computed its MFCC at 22050 Hz): that waveform is resampled from the decoded
        // file, as `librosa.load(path, sr=...)` would, not from the pipeline-rate waveform.
        let explicitRates = try Self.explicitFeatureRates(decoder)
        for i in features.indices where explicitRates[i] == nil {
            features[i].sampleRate = audio.sampleRate
        }
        let names = features.map(\.name)
        guard Set(names).count == names.count else {
            throw PipelineError.invalidConfig("feature names must be unique: \(names.joined(separator: ", "))")
        }
        guard !features.isEmpty else { throw PipelineError.invalidConfig("a pipeline needs at least one feature") }
        if let augment { try checkAugment(augment) }
    }

    /// Fills what an `augment:` section leaves to the pipeline (a crop's length is `audio.duration`),
    /// when a run starts, so the manifest records the value used.
    public mutating func resolveAugment() {
        guard var augment, let duration = audio.duration else { return }
        augment.steps = augment.steps.map { step in
            guard case .crop(var p) = step, p.length == nil else { return step }
            p.length = duration
            return .crop(p)
        }
        self.augment = augment
    }

    /// What an `augment:` section asks must fit this pipeline, checked when the file is read: the
    /// waveform augmentations run on the pipeline-rate waveform, so every feature must use that rate;
    /// a channel swap needs FOA; a crop is the segment each row keeps, so its length is `audio.duration`
    /// and it comes first.
    public func checkAugment(_ augment: AugmentConfig) throws {
        for f in features where f.sampleRate != audio.sampleRate {
            throw PipelineError.invalidConfig("augment: feature '\(f.name)' is computed at \(f.sampleRate) Hz; augmented waveforms are at audio.sample_rate \(audio.sampleRate) Hz")
        }
        let channelCount: Int?
        switch audio.channels {
        case .mono: channelCount = 1
        case .select(let indices): channelCount = indices.count
        case .keep: channelCount = audio.expectChannels?.count == 1 ? audio.expectChannels![0] : nil
        }
        let isFOA = features.contains { $0.kind == "foa" }
        do { try augment.check(channelCount: channelCount, isFOA: isFOA, hasBank: true) } catch {
            throw PipelineError.invalidConfig(String(describing: error))
        }
        for (i, step) in augment.steps.enumerated() {
            guard case .crop(let p) = step else { continue }
            guard i == 0 else { throw PipelineError.invalidConfig("augment: crop cuts the row's segment from the whole recording, so it must be the first step") }
            guard !audio.keepsWholeRecordings else {
                throw PipelineError.invalidConfig("augment: crop cuts fixed-length rows, and audio.length: keep keeps whole recordings: crop them online instead (StreamOptions.crop)")
            }
            guard let duration = audio.duration, abs((p.length ?? duration) - duration) < 1e-9 else {
                throw PipelineError.invalidConfig("augment: crop.length \(p.length.map { "\($0)" } ?? "unset") s must equal audio.duration (\(audio.duration.map { "\($0)" } ?? "unset") s): every row of a column has one shape")
            }
        }
    }

    private struct RateOnly: Decodable { var sr: Int? }
    private struct FeaturesOnly: Decodable { var features: [RateOnly] }

    private static func explicitFeatureRates(_ decoder: Decoder) throws -> [Int?] {
        try FeaturesOnly(from: decoder).features.map(\.sr)
    }

    /// Loads and validates a YAML pipeline file; errors name the file (as given) and the key.
    /// Nothing is read or written before this succeeds, so a bad file never leaves a partial store.
    public static func load(_ url: URL) throws -> PipelineConfig {
        let source = url.relativePath
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PipelineError.invalidConfig("\(source): cannot read pipeline file (\(error.localizedDescription))")
        }
        return try load(yaml: text, source: source)
    }

    /// Decodes and validates a pipeline from YAML text (a file's, or an embedded copy's); `source`
    /// names it in errors.
    public static func load(yaml text: String, source: String) throws -> PipelineConfig {
        let config: PipelineConfig
        do {
            config = try YAMLDecoder().decode(PipelineConfig.self, from: text)
        } catch {
            if case .invalidConfig(let message)? = ConfigPath.unwrapped(error) as? PipelineError {
                throw PipelineError.invalidConfig("\(source): \(message)")
            }
            throw PipelineError.invalidConfig("\(source): \(ConfigPath.describe(decodingError: error))")
        }
        try config.validate(source: source)
        return config
    }

    /// The canonical JSON of the resolved configuration (sorted keys): hashed into the config hash
    /// and copied into the manifest, so a store says exactly how it was made.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}

/// Where the recordings come from.
public struct InputSpec: Codable, Equatable, Sendable {
    /// Corpus recipes by name (`tau2020`, `cochlscene`, `cas2023`, …), read from `<data>/<published folder>`.
    public var corpora: [String]
    /// The folder holding each corpus under its published name (overridden by `--data`).
    public var data: String?
    /// Per-corpus folder overrides (`--path tau2020=/elsewhere`).
    public var paths: [String: String]
    /// Keep only recordings whose split is listed (as published: `train`, `evaluate`, `Train`, `dev`, …).
    public var splits: [String]?
    /// The recording format of the SELD corpora (`foa` or `mic`; their recipes read `foa` by default).
    public var format: String?
    /// Also store the 2022 SELD baseline's multi-ACCDOA (ADPIT) target `/targets/adpit`.
    public var adpit: Bool

    public init(corpora: [String] = [], data: String? = nil, paths: [String: String] = [:], splits: [String]? = nil,
                format: String? = nil, adpit: Bool = false) {
        self.corpora = corpora
        self.data = data
        self.paths = paths
        self.splits = splits
        self.format = format
        self.adpit = adpit
    }

    enum CodingKeys: String, CodingKey { case corpora, data, paths, splits, format, adpit }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: InputSpec())
        try f.decode("corpora", \.corpora)
        try f.decode("data", \.data)
        try f.decode("paths", \.paths)
        try f.decode("splits", \.splits)
        try f.decode("format", \.format)
        try f.decode("adpit", \.adpit)
        self = try f.finish()
    }

    /// The defaults (`format` unset, `adpit` false) are left out, so configs without them keep their hash.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(corpora, forKey: .corpora)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encode(paths, forKey: .paths)
        try c.encodeIfPresent(splits, forKey: .splits)
        try c.encodeIfPresent(format, forKey: .format)
        if adpit { try c.encode(adpit, forKey: .adpit) }
    }
}

/// How the store is written.
public struct OutputSpec: Codable, Equatable, Sendable {
    /// Rows per shard. A shard's rows are held in memory until it is written, so this bounds memory.
    public var shardRows: Int
    /// Seeds the shard plan's permutation (and every per-clip random draw).
    public var seed: UInt64
    /// `waveform: float32` also stores each row's waveform at `audio.sample_rate` (after its
    /// augmentation, before the features) as `/audio/waveform` `[C, N]`, so waveform augmentations
    /// can run online from the store; nil (the default) stores features only.
    public var waveform: WaveformColumn?

    public enum WaveformColumn: String, Codable, Sendable { case float32 }

    public init(shardRows: Int = 128, seed: UInt64 = 0, waveform: WaveformColumn? = nil) {
        self.shardRows = shardRows
        self.seed = seed
        self.waveform = waveform
    }

    enum CodingKeys: String, CodingKey { case shardRows = "shard_rows", seed, waveform }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: OutputSpec())
        try f.decode("shard_rows", \.shardRows)
        try f.decode("seed", \.seed)
        try f.decode("waveform", \.waveform)
        self = try f.finish()
    }
}
