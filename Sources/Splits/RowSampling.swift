import Foundation
import Randomness

/// Seeded choices shared by the metadata stages: which rows a fraction selects, and derangements.
///
/// Every stream is keyed (`SplitMix64(seed:key:)`) by the stage's seed and the fraction, never by
/// the order of work, so a view is the same whichever fractions are written with it. The
/// selection's key does not name the stage: `shuffle-metadata` and `unseen-locations` with the
/// same seed, `--within` and fraction select the same rows, as the paper's Fig. 4 asks ("the
/// proportions of these selected data are the same as those of Valid-Hard").
public enum RowSampling {
    /// How many of `n` rows a fraction x in (0, 1] selects: round(x·n) (half away from zero), at
    /// least 2 — a derangement of one row does not exist — and at most n.
    public static func count(fraction x: Double, of n: Int) -> Int {
        min(n, max(2, Int((x * Double(n)).rounded())))
    }

    /// `count` distinct indices of `0..<n`, sorted, chosen uniformly (a partial Fisher–Yates).
    public static func choose(_ count: Int, of n: Int, seed: UInt64, key: String) -> [Int] {
        var random = SplitMix64(seed: seed, key: key)
        var pool = Array(0..<n)
        for i in 0..<count { pool.swapAt(i, i + random.nextInt(below: n - i)) }
        return pool.prefix(count).sorted()
    }

    /// A permutation of `0..<n` (n ≥ 2) without a fixed point, uniform over derangements: Fisher–Yates
    /// shuffles are drawn until one has no fixed point (on average e ≈ 2.72 draws).
    public static func derangement(_ n: Int, seed: UInt64, key: String) -> [Int] {
        precondition(n >= 2, "a derangement needs at least two elements")
        var random = SplitMix64(seed: seed, key: key)
        while true {
            var permutation = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) { permutation.swapAt(i, random.nextInt(below: i + 1)) }
            if !permutation.enumerated().contains(where: { $0.offset == $0.element }) { return permutation }
        }
    }

    /// The folder name of a fraction: x as a percent, "5" for 0.05, "0.5" for 0.005.
    public static func percentName(_ x: Double) -> String {
        let percent = x * 100
        let rounded = percent.rounded()
        if abs(percent - rounded) < 1e-9 { return String(Int(rounded)) }
        return String(format: "%g", percent)
    }

    /// Parses "0.05,0.1,…", refusing a value outside (0, 1], a repeat or an empty list.
    public static func fractions(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var values: [Double] = []
        for part in parts {
            guard let value = Double(part), value.isFinite, value > 0, value <= 1 else {
                throw SplitError.parameter(name: "--fractions", reason: "'\(part)' is not a fraction in (0, 1]")
            }
            guard !values.contains(where: { percentName($0) == percentName(value) }) else {
                throw SplitError.parameter(name: "--fractions", reason: "\(part) is given twice")
            }
            values.append(value)
        }
        return values
    }
}
