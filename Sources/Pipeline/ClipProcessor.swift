import AudioIO
import Corpora
import Features
import Foundation
import Store

/// One clip's fate: a row for the store, or the reason it was rejected.
enum ClipOutcome {
    case row(ShardRow)
    case rejected(RejectedInput)
}

extension RejectedInput: CustomStringConvertible {
    /// `path[:line]: reason`, as printed at the end of a run.
    public var description: String {
        let at = line.map { "\(path):\($0)" } ?? path
        return "\(at): \(reason)"
    }
}

/// Per-worker processing of one clip: load the audio, compute every representation, build the row.
/// Holds the worker's own resampler and scratch buffers; the feature set itself (filterbanks, plans)
/// is shared read-only by all workers.
final class ClipProcessor {
    let loader: ClipLoader
    let extractors: [any FeatureExtractor]
    /// All representations of a clip together: STFTs, mel spectrograms and log-mels they share are computed once.
    let features: FeatureSetWorker
    let schema: RowSchema
    let runSeed: UInt64
    var timing = ClipLoader.Timing()
    /// The interleaved read buffer, grown to the longest file seen and reused.
    var readBuffer: [Float] = []
    var featureSeconds = 0.0

    init(config: PipelineConfig, features set: FeatureSet, schema: RowSchema) throws {
        loader = try ClipLoader(policy: config.audio)
        extractors = set.extractors
        features = set.makeWorker()
        self.schema = schema
        runSeed = config.output.seed
    }

    /// Computes the row of `variant` of `recording`, whose seed is `seed` (`ShardPlan.seed(of:)`).
    func process(_ recording: Recording, variant: Int = 0, seed: UInt64) -> ClipOutcome {
        do {
            let decoded = try loader.decode(recording.path, startSeconds: recording.startSeconds ?? 0,
                                            scratch: &readBuffer, timing: &timing)
            // One resample per distinct feature rate, each from the decoded file.
            var waveforms: [Int: AudioBuffer] = [:]
            var row = schema.metadataRow(for: recording, variant: variant, original: decoded, seed: seed)
            for (column, value) in try schema.targetValues(for: recording, original: decoded) { row.values[column] = value }
            for rate in extractors.map(\.sampleRate) where waveforms[rate] == nil {
                waveforms[rate] = try loader.prepare(decoded.buffer, rate: rate, leadFrames: decoded.leadFrames, timing: &timing)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let tensors = try features.extract(waveforms.mapValues(\.channels))
            featureSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for (extractor, tensor) in zip(extractors, tensors) {
                let column = "features/\(extractor.name)"
                guard let expected = schema.featureShapes[column], expected == tensor.shape else {
                    throw FeatureError("\(extractor.name) produced shape \(tensor.shape), expected \(schema.featureShapes[column] ?? [])")
                }
                row.values[column] = .float32(tensor.values)
            }
            return .row(row)
        } catch let error as ClipTooShort {
            return .rejected(RejectedInput(path: recording.path, reason: error.reason, stage: ClipLengths.rejectionStage))
        } catch let error as AudioError {
            return .rejected(RejectedInput(path: recording.path, reason: error.reason, stage: "audio"))
        } catch {
            return .rejected(RejectedInput(path: recording.path, reason: String(describing: error), stage: "features"))
        }
    }
}
