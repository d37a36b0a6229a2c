import Augment
import Corpora
import Foundation
import Store

/// What a trainer needs to run a store's waveform augmentations online (`AugmentedFeatures` on the
/// rows of `/audio/waveform`, fresh draws every epoch): the store's own pipeline, its impulse-response
/// bank read as ingest reads it, and a SELD row's targets following a channel swap.
extension AugmentedFeatures {
    /// The pipeline recorded in the manifest of the store under `reader` (a view's root store), with
    /// only the feature `feature` (`features/<name>`) and the augmentation `steps` (one variant).
    ///
    /// Why the recorded config and not a pipeline file: the online features must be the stored
    /// ones' (same STFT, filterbank, scaling), so a row with no augmentation drawn equals its stored row.
    public static func onlineConfig(of reader: StoreReader, feature: String, steps: [AugmentStep]) throws -> PipelineConfig {
        var root = reader
        while let parent = root.parent { root = parent }
        let path = root.manifestURL.path
        guard case .object(var object) = root.manifest.parameters, object["features"] != nil else {
            throw PipelineError.invalidConfig("\(path): the manifest records no pipeline (parameters), so its features cannot be computed online")
        }
        // Ingest adds these beside the config (Ingest.parameters); they are not pipeline keys.
        object["variants"] = nil
        object["augment_bank"] = nil
        var config: PipelineConfig
        do {
            config = try JSONValue.object(object).decode(as: PipelineConfig.self)
        } catch {
            throw PipelineError.invalidConfig("\(path): the recorded pipeline does not decode (\(error))")
        }
        let name = feature.hasPrefix("features/") ? String(feature.dropFirst("features/".count)) : feature
        guard let spec = config.features.first(where: { $0.name == name }) else {
            throw PipelineError.invalidConfig("\(path): the recorded pipeline has no feature '\(name)' (has \(config.features.map(\.name).joined(separator: ", ")))")
        }
        config.features = [spec]
        do {
            config.augment = try AugmentConfig(steps: steps, variants: 1, splits: ["train"], devices: nil)
            try config.checkAugment(config.augment!)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.invalidConfig("\(path): \(error)")
        }
        return config
    }

    /// The DIR/ADIR bank in `folder` at the pipeline's rate, read as ingest reads `MicIRP/` (every
    /// `*.wav`, sorted by path). A response that cannot be used is an error here, naming the file:
    /// a training run must not quietly convolve with fewer responses than the folder holds.
    public static func impulseResponseBank(folder: URL, config: PipelineConfig) throws -> ImpulseResponseBank {
        let input = try ImpulseResponseInput.load(folder: folder, sampleRate: config.audio.sampleRate, resampler: config.audio.resampler)
        if let first = input.rejected.first {
            throw PipelineError.invalidConfig("impulse-response bank \(folder.path): \(input.rejected.count) file(s) unusable, first \(first.path): \(first.reason)")
        }
        return input.bank
    }

    /// A SELD row's `targets/doa` [frames, tracks, classes, 3] and `targets/adpit` [frames, 6, 4,
    /// classes] mapped by the channel swap `transform`, as ingest maps an offline variant's.
    public static func rotate(doa: inout [Float]?, adpit: inout [Float]?, classes: Int, frames: Int, transform: FOATransform) {
        guard transform.number != 0 else { return }
        var targets = SELDTargets(events: [], classes: classes, frames: frames)
        if let doa { targets.doa = doa }
        if let adpit { targets.adpit = adpit }
        targets.apply(transform)
        if doa != nil { doa = targets.doa }
        if adpit != nil { adpit = targets.adpit }
    }
}
