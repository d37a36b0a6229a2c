import Foundation

/// A small, fast, seedable pseudo-random generator (Steele, Lea & Flood's SplitMix64).
///
/// It lives in its own module, depending on nothing, because synthetic corpora (Corpora), the shard
/// plan (Pipeline) and augmentation (a future module beside DSP) all draw from it, and none of them
/// should link FFTW or libsndfile to get a random number.
///
/// Synthetic corpora must be byte-identical for the same seed on every run and platform, so they
/// never use the system generator, and they draw floats and integers through the helpers here
/// rather than through the standard library's `random(in:using:)`, whose algorithm is not promised
/// to stay the same across Swift versions.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one named item (e.g. one file) under a run seed: the stream depends only on
    /// `(seed, key)`, so files come out the same whatever order, or process, generates them.
    public init(seed: UInt64, key: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a 64-bit offset basis
        for byte in key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var mixer = SplitMix64(seed: seed)
        state = mixer.next() ^ hash
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [-1, 1).
    public mutating func nextSigned() -> Double {
        nextUnit() * 2 - 1
    }

    /// Uniform in `0..<bound` (multiply-high; the bias for bounds this small is below 2^-40).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
