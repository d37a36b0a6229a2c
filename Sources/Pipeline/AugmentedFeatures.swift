import AudioIO
import Augment
import Features
import Foundation

/// "Waveform → augment → features" as one call, with a pipeline's own feature set and `augment:`
/// steps: what the offline worker does for a variant row, for a caller that holds the resampled
/// waveform (the streaming stage running waveform augmentations online with fresh seeds each epoch).
/// One per thread: it owns the feature set's scratch buffers.
public final class AugmentedFeatures {
    public let config: PipelineConfig
    public let chain: WaveformChain
    let extractors: [any FeatureExtractor]
    let worker: FeatureSetWorker

    /// `bank`: the impulse responses at `config.audio.sample_rate` (needed for `dir` / `adir` steps).
    public init(config: PipelineConfig, bank: ImpulseResponseBank? = nil) throws {
        guard let augment = config.augment else {
            throw PipelineError.invalidConfig("pipeline '\(config.name)' has no augment section")
        }
        try config.checkAugment(augment)
        self.config = config
        chain = try WaveformChain(augment.steps, bank: bank)
        let set = FeatureSet(config.features)
        extractors = set.extractors
        worker = set.makeWorker()
    }

    /// Augments `channels` (at `audio.sample_rate`, the pipeline's length or, with a crop first,
    /// longer) with draws from `seed`, fixes the length, and computes every feature of the pipeline.
    public func compute(_ channels: [[Float]], device: String? = nil, directions: [Direction] = [],
                        seed: UInt64) throws -> (features: [String: FeatureTensor], draws: [WaveformChain.Record], directions: [Direction]) {
        let rate = config.audio.sampleRate
        var clip = WaveformClip(channels: channels, sampleRate: rate, device: device, directions: directions)
        let length = config.audio.targetLength(at: rate)
        if let length, clip.sampleCount < length { clip.channels = clip.channels.map { $0.fixedLength(length) } }
        let draws = try chain.apply(to: &clip, seed: seed)
        if let length { clip.channels = clip.channels.map { $0.fixedLength(length) } }
        let tensors = try worker.extract([rate: clip.channels])
        var features: [String: FeatureTensor] = [:]
        for (extractor, tensor) in zip(extractors, tensors) { features[extractor.name] = tensor }
        return (features, draws, clip.directions)
    }
}
