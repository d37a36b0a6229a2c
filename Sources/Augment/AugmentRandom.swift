import Foundation
import Randomness

/// The only source of randomness of every augmentation: a SplitMix64 stream seeded by the row
/// (run seed, recording id, variant) — or, online, by (seed, epoch, position) — never a global
/// generator, so a row's draws are the same on any thread count, process or machine.
///
/// Each augmentation of a chain draws from its own sub-stream (`substream(_:)`, keyed by its
/// position and name), so adding or removing one augmentation does not change the others' draws.
/// Floats, integers, normals, gammas and betas are derived here with fixed algorithms rather than
/// the standard library's `random(in:)`, whose algorithm is not promised across Swift versions.
public struct AugmentRandom: Sendable {
    public private(set) var generator: SplitMix64
    /// The seed this stream started from (the row's `/meta/seed` for an offline variant).
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        generator = SplitMix64(seed: seed)
    }

    /// The stream of a store row: seeded by `ClipSeed.seed(runSeed:id:variant:)` (`/meta/seed`).
    public init(runSeed: UInt64, id: String, variant: Int) {
        self.init(seed: ClipSeed.seed(runSeed: runSeed, id: id, variant: variant))
    }

    /// An independent stream for one named consumer of this seed.
    public func substream(_ key: String) -> AugmentRandom {
        var mixer = SplitMix64(seed: seed, key: key)
        return AugmentRandom(seed: mixer.next())
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { generator.nextUnit() }

    /// A float32 uniform in [0, 1) from the top 24 bits (the precision of `torch.rand` in float32).
    public mutating func uniformFloat() -> Float { Float(generator.next() >> 40) * 0x1.0p-24 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// Uniform integer in `range` (both ends included, as `np.random.random_integers`).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + generator.nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// Uniform integer in `0..<bound`.
    public mutating func integer(below bound: Int) -> Int { generator.nextInt(below: bound) }

    /// Standard normal (Box–Muller, the cosine branch only, so one normal costs two uniforms).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform() // (0, 1]: log is finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through Gamma(shape + 1)·U^(1/shape).
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive")
        if shape < 1 {
            let g = gamma(shape: shape + 1)
            return g * pow(1 - uniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = 1 - uniform()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (as torch's `Beta` samples it).
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        let sum = x + y
        // Both gammas can underflow to 0 for tiny shapes: the limit is a fair coin between 0 and 1.
        return sum > 0 ? x / sum : (uniform() < a / (a + b) ? 1 : 0)
    }

    /// A uniform random permutation of 0..<n (Fisher–Yates); like `torch.randperm`, i may map to i.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, integer(below: i + 1))
        }
        return p
    }
}
