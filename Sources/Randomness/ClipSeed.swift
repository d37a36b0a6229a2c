/// The seed of one row of a store: a recording's variant under a run seed.
///
/// A row is (recording, variant): variant 0 is the clip as published, variants 1… are augmented
/// copies or segments of a long recording. Each row gets its own seed so an augmentation drawn for
/// it is the same whichever worker, thread or process computes the row, and changing the run seed
/// changes every row's draw.
///
/// Definition (stable: a store records these values in `/meta/seed`, so changing it changes stores):
/// `SplitMix64(seed: runSeed, key: "<id>#<variant>").next()`, i.e. the key's FNV-1a 64-bit hash
/// XORed into the first SplitMix64 output of the run seed, advanced once, and the next output
/// returned. Distinct (id, variant) pairs give distinct seeds except with probability ~2⁻⁶⁴ per pair.
///
/// ```swift
/// ClipSeed.seed(runSeed: 0, id: "tau2020/airport-lisbon-1000-40000-a", variant: 1)
/// ```
public enum ClipSeed {
    public static func seed(runSeed: UInt64, id: String, variant: Int) -> UInt64 {
        var generator = SplitMix64(seed: runSeed, key: "\(id)#\(variant)")
        return generator.next()
    }
}
