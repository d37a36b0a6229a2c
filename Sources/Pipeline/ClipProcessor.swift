import AudioIO
import Augment
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
    /// `path[:line]: reason [(N rows)]`, as printed at the end of a run.
    public var description: String {
        let at = line.map { "\(path):\($0)" } ?? path
        return "\(at): \(reason)" + (rowCount > 1 ? " (\(rowCount) rows)" : "")
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
    /// The `augment:` waveform steps, applied to rows of variant > 0 (nil: no augment section).
    let chain: WaveformChain?
    /// Reads the whole recording for a chain that starts with a crop (the crop picks the row's segment).
    let wholeLoader: ClipLoader?
    let augmentRate: Int
    let augmentLength: Int?

    init(config: PipelineConfig, features set: FeatureSet, schema: RowSchema, chain: WaveformChain? = nil) throws {
        loader = try ClipLoader(policy: config.audio)
        self.chain = chain
        augmentRate = config.audio.sampleRate
        augmentLength = config.audio.targetLength(at: config.audio.sampleRate)
        if chain?.steps.first is RandomCrop {
            var whole = config.audio
            whole.duration = nil
            wholeLoader = try ClipLoader(policy: whole)
        } else {
            wholeLoader = nil
        }
        extractors = set.extractors
        features = set.makeWorker()
        self.schema = schema
        runSeed = config.output.seed
    }

    /// How a variant's draws move its targets: the crop's offset in label frames (the audio's segment
    /// starts there) and the channel swap's transform. An offset off the label grid is refused, not
    /// rounded: the targets would be a fraction of a frame off the audio.
    func targetMotion(_ records: [WaveformChain.Record]?) throws -> (cropFrames: Int, transform: FOATransform?) {
        var cropFrames = 0
        var transform: FOATransform?
        for record in records ?? [] {
            for (name, value) in record.columns {
                guard case .int(let v) = value else { continue }
                if record.augmentation == RandomCrop.name, name == "offset", schema.hasFrameTargets {
                    let hop = Int((SELDEvent.labelHopSeconds * Double(augmentRate)).rounded())
                    guard Int(v) % hop == 0 else {
                        throw FeatureError("augment: crop offset \(v) samples is not a whole number of \(hop)-sample label frames (set crop.alignment to a multiple of \(hop))")
                    }
                    cropFrames += Int(v) / hop
                }
                if record.augmentation == FOAChannelSwap.name, name == "transform" { transform = FOATransform(Int(v)) }
            }
        }
        return (cropFrames, transform)
    }

    /// Computes the row of `variant` of `recording`, whose seed is `seed` (`ShardPlan.seed(of:)`).
    func process(_ recording: Recording, variant: Int = 0, seed: UInt64) -> ClipOutcome {
        do {
            let augmenting = variant > 0 ? chain : nil
            let active = augmenting != nil ? (wholeLoader ?? loader) : loader
            let decoded = try active.decode(recording.path, startSeconds: recording.startSeconds ?? 0,
                                            scratch: &readBuffer, timing: &timing)
            // The whole-recording reader has no duration, so it applies the clip's own minimum here:
            // a recording too short for its original row is too short for its variants too.
            let policy = loader.policy
            let rate = decoded.buffer.sampleRate
            if active.policy.duration == nil, let minimum = policy.minimumLength(at: rate), decoded.buffer.frameCount < minimum,
               let duration = policy.duration {
                throw ClipTooShort(path: recording.path, samples: decoded.buffer.frameCount, sampleRate: rate,
                                   duration: duration, fraction: policy.minDurationFraction)
            }
            // One resample per distinct feature rate, each from the decoded file.
            var waveforms: [Int: AudioBuffer] = [:]
            var row = schema.metadataRow(for: recording, variant: variant, original: decoded, seed: seed)
            for rate in extractors.map(\.sampleRate) where waveforms[rate] == nil {
                waveforms[rate] = try active.prepare(decoded.buffer, rate: rate, leadFrames: decoded.leadFrames, timing: &timing)
            }
            var records: [WaveformChain.Record]?
            if let augmenting, let prepared = waveforms[augmentRate] {
                // The configuration checked that every feature is at the pipeline rate.
                var audio = prepared
                if let length = augmentLength, audio.frameCount < length { audio = audio.fixedLength(length) }
                var clip = WaveformClip(channels: audio.channels, sampleRate: augmentRate, device: recording.device)
                do { records = try augmenting.apply(to: &clip, seed: seed) } catch let error as AugmentError {
                    throw FeatureError("augment: \(error)")
                }
                audio = AudioBuffer(sampleRate: augmentRate, channels: clip.channels)
                if let length = augmentLength { audio = audio.fixedLength(length) }
                waveforms[augmentRate] = audio
            }
            for (column, value) in schema.augmentValues(records) { row.values[column] = value }
            let (cropFrames, transform) = try targetMotion(records)
            for (column, value) in try schema.targetValues(for: recording, original: decoded, cropFrames: cropFrames,
                                                           transform: transform) { row.values[column] = value }
            if let spec = schema.columns.first(where: { $0.name == RowSchema.waveformColumn }), let audio = waveforms[augmentRate] {
                let flat = audio.channels.flatMap { $0 }
                guard spec.isVariableLength || flat.count == spec.rowShape.reduce(1, *) else {
                    throw FeatureError("waveform of \(audio.channels.count) x \(audio.frameCount) samples, expected \(spec.rowShape)")
                }
                row.values[spec.name] = .float32(flat)
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let tensors = try features.extract(waveforms.mapValues(\.channels))
            featureSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for (extractor, tensor) in zip(extractors, tensors) {
                let column = "features/\(extractor.name)"
                guard schema.fits(tensor.shape, column: column) else {
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
