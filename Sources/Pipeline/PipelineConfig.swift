import AudioIO
import Augment
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
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        inputs = try c.decodeIfPresent(InputSpec.self, forKey: .inputs) ?? InputSpec()
        audio = try c.decodeIfPresent(AudioPolicy.self, forKey: .audio) ?? AudioPolicy()
        features = try c.decode([FeatureSpec].self, forKey: .features)
        output = try c.decodeIfPresent(OutputSpec.self, forKey: .output) ?? OutputSpec()
        augment = try c.decodeIfPresent(AugmentConfig.self, forKey: .augment)
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

    /// Loads a YAML pipeline file; errors name the file.
    public static func load(_ url: URL) throws -> PipelineConfig {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PipelineError.invalidConfig("\(url.path): cannot read pipeline file (\(error.localizedDescription))")
        }
        do {
            return try YAMLDecoder().decode(PipelineConfig.self, from: text)
        } catch {
            throw PipelineError.invalidConfig("\(url.path): \(PipelineError.describe(decodingError: error))")
        }
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

    public init(corpora: [String] = [], data: String? = nil, paths: [String: String] = [:], splits: [String]? = nil) {
        self.corpora = corpora
        self.data = data
        self.paths = paths
        self.splits = splits
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        corpora = try c.decodeIfPresent([String].self, forKey: .corpora) ?? []
        data = try c.decodeIfPresent(String.self, forKey: .data)
        paths = try c.decodeIfPresent([String: String].self, forKey: .paths) ?? [:]
        splits = try c.decodeIfPresent([String].self, forKey: .splits)
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
        let c = try decoder.container(keyedBy: CodingKeys.self)
        shardRows = try c.decodeIfPresent(Int.self, forKey: .shardRows) ?? 128
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        waveform = try c.decodeIfPresent(WaveformColumn.self, forKey: .waveform)
        guard shardRows > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .shardRows, in: c, debugDescription: "shard_rows must be positive")
        }
    }
}
