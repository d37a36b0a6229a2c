import Augment
import Randomness
import XCTest

final class AugmentRandomTests: XCTestCase {
    /// Beta(α, α) for the α the references use: mean 1/2, variance 1/(4(2α+1)).
    func testBetaMoments() {
        for alpha in [0.1, 0.3, 0.4, 2.0] {
            var r = AugmentRandom(seed: 11)
            let n = 40000
            let xs = (0..<n).map { _ in r.beta(alpha, alpha) }
            XCTAssertTrue(xs.allSatisfy { (0...1).contains($0) })
            let mean = xs.reduce(0, +) / Double(n)
            let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
            XCTAssertEqual(mean, 0.5, accuracy: 0.01, "alpha \(alpha)")
            XCTAssertEqual(variance, 1 / (4 * (2 * alpha + 1)), accuracy: 0.01, "alpha \(alpha)")
        }
    }

    func testPermutationIsUniformAndMayFixPoints() {
        var r = AugmentRandom(seed: 2)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: 4), count: 4)
        for _ in 0..<8000 {
            let p = r.permutation(4)
            XCTAssertEqual(p.sorted(), [0, 1, 2, 3])
            for (i, j) in p.enumerated() { counts[i][j] += 1 }
        }
        for row in counts { for c in row { XCTAssertEqual(Double(c), 2000, accuracy: 200) } }
    }

    /// The stream of a row is `ClipSeed`'s: the same (run seed, id, variant) gives the same draws, another variant others.
    func testRowStreamIsSeededByRunSeedIdAndVariant() {
        var a = AugmentRandom(runSeed: 7, id: "tau2020/x-a", variant: 1)
        var b = AugmentRandom(seed: ClipSeed.seed(runSeed: 7, id: "tau2020/x-a", variant: 1))
        var c = AugmentRandom(runSeed: 7, id: "tau2020/x-a", variant: 2)
        let da = (0..<5).map { _ in a.uniform() }
        XCTAssertEqual(da, (0..<5).map { _ in b.uniform() })
        XCTAssertNotEqual(da, (0..<5).map { _ in c.uniform() })
        XCTAssertNotEqual(a.substream("0:dir").seed, a.substream("1:dir").seed)
    }

    func testIntegerRangeIsInclusiveLikeRandomIntegers() {
        var r = AugmentRandom(seed: 1)
        let xs = (0..<20000).map { _ in r.integer(in: -3...3) }
        XCTAssertEqual(Set(xs), Set(-3...3))
    }
}
