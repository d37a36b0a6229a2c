@testable import DSP
import XCTest

/// `SoxrChunked` (48,000 output samples per `soxr_process` call, as python-soxr) against
/// `soxr_oneshot` on the whole signal: the chunking is a speed change only, so every sample must be
/// bit-identical, for the file rates the corpora have and across chunk boundaries (clips longer
/// and shorter than one chunk, a length that is not a multiple of it).
final class SoxrChunkedTests: XCTestCase {
    func signal(_ n: Int, seed: UInt64) -> [Float] {
        var state = seed
        var smooth: Float = 0
        return (0..<n).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(Int64(bitPattern: state >> 11) % 1_000_000) / 1_000_000
            smooth = 0.9 * smooth + 0.1 * noise
            return 0.3 * smooth + 0.2 * sinf(Float(i) * 0.05)
        }
    }

    func resampled(_ x: [Float], _ from: Double, _ to: Double, recipe: SoxrOneShot.Recipe, chunked: Bool) throws -> [Float] {
        var out = [Float](repeating: .nan, count: Int((Double(x.count) * to / from).rounded(.up)) + 64)
        let produced = try x.withUnsafeBufferPointer { input in
            try out.withUnsafeMutableBufferPointer { output in
                chunked ? try SoxrChunked.resample(input, from: from, to: to, recipe: recipe, into: output)
                        : try SoxrOneShot.resample(input, from: from, to: to, recipe: recipe, into: output)
            }
        }
        return Array(out[0..<produced])
    }

    func testBitIdenticalToOneShot() throws {
        let cases: [(from: Double, to: Double, n: Int)] = [
            (48_000, 44_100, 480_000), (48_000, 44_100, 480_001), (44_100, 48_000, 441_000), (48_000, 16_000, 96_123),
            (22_050, 44_100, 30_000), (48_000, 24_000, 1000), (32_000, 44_100, 160_000),
        ]
        for (i, c) in cases.enumerated() {
            let x = signal(c.n, seed: UInt64(i + 1))
            for recipe in [SoxrOneShot.Recipe.hq, .vhq] {
                let oneShot = try resampled(x, c.from, c.to, recipe: recipe, chunked: false)
                let chunked = try resampled(x, c.from, c.to, recipe: recipe, chunked: true)
                let label = "\(c.from) -> \(c.to), \(c.n) samples, \(recipe)"
                XCTAssertEqual(chunked.count, oneShot.count, label)
                XCTAssertGreaterThan(chunked.count, Int(Double(c.n) * c.to / c.from) - 1, label)
                let differing = zip(chunked, oneShot).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(label): \(differing) samples differ")
            }
        }
    }

    /// The comparison is able to fail: a different recipe moves the output.
    func testARecipeChangeIsSeen() throws {
        let x = signal(100_000, seed: 9)
        let hq = try resampled(x, 48_000, 44_100, recipe: .hq, chunked: true)
        let mq = try resampled(x, 48_000, 44_100, recipe: .mq, chunked: true)
        XCTAssertNotEqual(hq.prefix(mq.count).map(\.bitPattern), mq.prefix(hq.count).map(\.bitPattern))
    }
}
