import Store
import XCTest

/// Per channel x bin statistics streamed row by row equal a direct two-pass computation over all
/// rows, also where a naive float sum or sum-of-squares would lose the variance.
final class FeatureStatisticsTests: XCTestCase {
    func testStreamedStatisticsEqualTheDirectOnesPerChannelAndBin() {
        let (channels, frames, bins, rows) = (2, 3, 4, 50)
        // Value depends on (row, channel, frame, bin); a large offset per channel and bin with a
        // small spread, so mixing axes or a cancelling formula would show.
        func value(_ r: Int, _ c: Int, _ t: Int, _ f: Int) -> Float {
            Float(1e4 * Double(c + 1) + 10 * Double(f)) + Float(sin(Double(r * 7 + t * 3 + f))) * 0.01
        }
        var statistics = FeatureStatistics(column: "features/x", rowShape: [channels, frames, bins])
        var all = [[Double]](repeating: [], count: channels * bins)
        for r in 0..<rows {
            var row: [Float] = []
            for c in 0..<channels { for t in 0..<frames { for f in 0..<bins {
                row.append(value(r, c, t, f))
                all[c * bins + f].append(Double(value(r, c, t, f)))
            } } }
            statistics.add(row: row)
        }
        XCTAssertEqual(statistics.count, rows * frames)
        XCTAssertEqual(statistics.channels, channels)
        XCTAssertEqual(statistics.bins, bins)
        for c in 0..<channels {
            for f in 0..<bins {
                let xs = all[c * bins + f]
                let mean = xs.reduce(0, +) / Double(xs.count)
                let std = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)).squareRoot()
                XCTAssertEqual(statistics.mean(channel: c, bin: f), mean, accuracy: 1e-9 * abs(mean))
                XCTAssertEqual(statistics.standardDeviation(channel: c, bin: f), std, accuracy: 1e-6 * std)
                XCTAssertGreaterThan(std, 1e-4)
            }
        }
    }

    func testShapesWithoutChannelsAndEmptyStatistics() {
        var frames = FeatureStatistics(column: "features/y", rowShape: [3, 2])   // [T, F]
        XCTAssertTrue(frames.mean(channel: 0, bin: 0).isNaN)
        frames.add(row: [1, 10, 2, 20, 3, 30])
        XCTAssertEqual(frames.channels, 1)
        XCTAssertEqual(frames.mean(channel: 0, bin: 1), 20)
        XCTAssertEqual(frames.standardDeviation(channel: 0, bin: 0), (2.0 / 3.0).squareRoot(), accuracy: 1e-15)
        var vector = FeatureStatistics(column: "targets/z", rowShape: [2])        // [F]
        vector.add(row: [1, 5])
        vector.add(row: [3, 5])
        XCTAssertEqual(vector.count, 2)
        XCTAssertEqual(vector.mean(channel: 0, bin: 0), 2)
        XCTAssertEqual(vector.standardDeviation(channel: 0, bin: 0), 1)
        XCTAssertEqual(vector.standardDeviation(channel: 0, bin: 1), 0)
    }
}
