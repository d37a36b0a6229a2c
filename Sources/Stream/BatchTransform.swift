import Randomness

/// An online augmentation applied to each batch after it is read (mixup, Freq-MixStyle, masking,
/// frequency shift, …), on the reader thread.
///
/// Why the generator is handed in: a transform must draw only from it, and the stream seeds it from
/// (seed, epoch, batch, rank, transform index) — `SplitMix64(seed: seed, key:
/// "augment#<epoch>#<batch>#<rank>#<k>")` — so the draws are fresh every epoch yet the same on a
/// resumed run and whatever thread reads the batch. A transform may change `features` and
/// `targets` (mixup mixes soft targets) but not the batch's size or shape.
public protocol BatchTransform: Sendable {
    var name: String { get }
    func apply(to batch: inout Batch, generator: inout SplitMix64) throws
}
