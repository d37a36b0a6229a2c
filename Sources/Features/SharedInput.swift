import DSP

/// What a representation can take, ready-made, from the intermediate results a `FeatureSet`
/// computes once per clip for all its specs, instead of computing it again itself.
enum SharedInput: Sendable {
    /// The log-mel (uncropped `[C, T, n_mels]`) of these parameters.
    case logMel(LogMelParameters)
    /// Both the mel power (no log, uncropped) of these parameters' front end and their log-mel.
    case melAndLogMel(LogMelParameters)
    /// Product `product` of this STFT of the clip at `sampleRate`, `[C, T, bins]`.
    case spectrum(STFT, sampleRate: Int, product: STFT.Product)
}

/// The shared results handed to a worker for one clip (only those its `SharedInput` named).
struct SharedInputs {
    var linearMel: FeatureTensor?
    var logMel: FeatureTensor?
    /// `[C, frames, bins]` of the requested STFT product; nil when the clip has no frame.
    var spectrum: UnsafePointer<Float>?
    var frames = 0
}

/// An extractor that can compute from shared inputs. Each conformance runs exactly the operations
/// its own worker runs after that point, so the output is bit-identical either way (FeatureSetTests).
protocol SharedInputExtractor: FeatureExtractor {
    /// What it takes from the set, or nil when this configuration computes alone.
    var sharedInput: SharedInput? { get }
    func makeSharedInputWorker() -> any SharedInputWorker
}

/// The per-thread worker of a `SharedInputExtractor`.
protocol SharedInputWorker: FeatureWorker {
    /// The representation of `channels` (the clip at the extractor's rate) from `shared`.
    func extract(_ channels: [[Float]], shared: SharedInputs) throws -> FeatureTensor
}
