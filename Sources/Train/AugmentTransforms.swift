import Augment
import Randomness
import Stream

/// Augment's batch and spectrogram augmentations as the stream's `BatchTransform`s.
///
/// Why adapters here: Augment owns the augmentations over its `[B, C, T, F]` buffer and Stream owns
/// the batches; the trainer is where both meet, so neither module needs to know the other. Each
/// adapter turns the stream's generator — seeded from (seed, epoch, batch, rank, transform index) —
/// into one `AugmentRandom`, so the draws are fresh every epoch yet identical on any reader thread.
enum AugmentTransforms {
    /// The generator the stream hands in, as Augment's random source (one draw seeds it).
    static func random(from generator: inout SplitMix64) -> AugmentRandom {
        AugmentRandom(seed: generator.next())
    }

    /// Runs `body` on the batch's features as an Augment batch and writes them back.
    static func onFeatures(_ batch: inout Stream.Batch, _ body: (inout Augment.Batch) throws -> Void) throws {
        var values = try Augment.Batch(shape: batch.shape, values: batch.features)
        batch.features = []
        try body(&values)
        batch.features = values.values
    }
}

/// mixup with soft targets: the batch's targets (one-hot from its hard labels when it has none) are
/// mixed with the same λs and partners as its features.
struct MixupTransform: BatchTransform {
    let mixup: Mixup
    let classes: Int
    var name: String { Mixup.name }

    func apply(to batch: inout Stream.Batch, generator: inout SplitMix64) throws {
        var targets: [Float]
        if let existing = batch.targets {
            targets = existing
        } else {
            guard let labels = batch.labels else { throw TrainError.invalidOptions("mixup needs labels or soft targets in the batch") }
            targets = try Mixup.softTargets(labels: labels.map(Int.init), classes: classes)
        }
        var random = AugmentTransforms.random(from: &generator)
        try AugmentTransforms.onFeatures(&batch) { values in
            _ = try mixup.apply(to: &values, targets: &targets, random: &random)
        }
        batch.targetWidth = batch.count > 0 ? targets.count / batch.count : (batch.targetWidth ?? classes)
        batch.targets = targets
    }
}

/// Freq-MixStyle over the batch (labels untouched).
struct FreqMixStyleTransform: BatchTransform {
    let mixStyle: FreqMixStyle
    var name: String { FreqMixStyle.name }

    func apply(to batch: inout Stream.Batch, generator: inout SplitMix64) throws {
        var random = AugmentTransforms.random(from: &generator)
        try AugmentTransforms.onFeatures(&batch) { _ = try mixStyle.apply(to: &$0, random: &random) }
    }
}

/// Frequency or time masking, one mask per (row, channel).
struct MaskingTransform: BatchTransform {
    let masking: Masking
    var name: String { "\(Masking.name)_\(masking.parameters.axis.rawValue)" }

    func apply(to batch: inout Stream.Batch, generator: inout SplitMix64) throws {
        var random = AugmentTransforms.random(from: &generator)
        try AugmentTransforms.onFeatures(&batch) { _ = try masking.apply(to: &$0, random: &random) }
    }
}

/// SALSA's random frequency shift per row.
struct FrequencyShiftTransform: BatchTransform {
    let shift: FrequencyShift
    var name: String { FrequencyShift.name }

    func apply(to batch: inout Stream.Batch, generator: inout SplitMix64) throws {
        var random = AugmentTransforms.random(from: &generator)
        try AugmentTransforms.onFeatures(&batch) { _ = try shift.apply(to: &$0, random: &random) }
    }
}
