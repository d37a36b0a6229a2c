import Foundation

/// How many clips `fix_length` padded or truncated, and how many the length check rejected: the
/// manifest's `clipLengths`, so a short corpus is visible without opening a shard.
///
/// A clip is compared in its file's own rate: with `meta/num_samples` samples at
/// `meta/sample_rate` Hz it is **padded** when `num_samples < round(duration x sample_rate)`,
/// **truncated** when above, **exact** when equal.
public struct ClipLengths: Codable, Equatable, Sendable {
    /// The configured clip length in seconds (`audio.duration`).
    public var duration: Double
    /// `audio.min_duration_fraction`: clips below this fraction of `duration` were rejected.
    public var minDurationFraction: Double
    public var padded: Int
    public var truncated: Int
    public var exact: Int
    /// Files rejected as too short (rejections of stage `duration`); they are not rows.
    public var rejectedShort: Int

    public init(duration: Double, minDurationFraction: Double, padded: Int = 0, truncated: Int = 0,
                exact: Int = 0, rejectedShort: Int = 0) {
        self.duration = duration
        self.minDurationFraction = minDurationFraction
        self.padded = padded
        self.truncated = truncated
        self.exact = exact
        self.rejectedShort = rejectedShort
    }

    /// The rejection stage of a file shorter than `minDurationFraction` x `duration`.
    public static let rejectionStage = "duration"

    /// How a clip of `samples` samples at `sampleRate` Hz compares with `duration` seconds:
    /// negative padded, zero exact, positive truncated.
    public static func comparison(samples: Int64, sampleRate: Int32, duration: Double) -> Int {
        let target = Int64((duration * Double(sampleRate)).rounded())
        return samples < target ? -1 : (samples > target ? 1 : 0)
    }

    /// Adds one clip.
    public mutating func add(samples: Int64, sampleRate: Int32) {
        switch Self.comparison(samples: samples, sampleRate: sampleRate, duration: duration) {
        case ..<0: padded += 1
        case 1...: truncated += 1
        default: exact += 1
        }
    }

    /// Counts the clips of the committed `shards` (paths relative to `directory`) from their
    /// `meta/num_samples` and `meta/sample_rate` columns, and the short-file rejections among
    /// `rejected`. Reads two scalar columns per shard.
    public static func measure(shards: [ShardInfo], in directory: URL, duration: Double,
                               minDurationFraction: Double, rejected: [RejectedInput]) throws -> ClipLengths {
        var lengths = ClipLengths(duration: duration, minDurationFraction: minDurationFraction)
        for info in shards {
            let shard = try ShardReader(url: directory.appendingPathComponent(info.file), verifying: info, columns: nil)
            for (samples, rate) in zip(try shard.readInt64("meta/num_samples"), try shard.readInt32("meta/sample_rate")) {
                lengths.add(samples: samples, sampleRate: rate)
            }
        }
        lengths.rejectedShort = rejected.filter { $0.stage == rejectionStage }.count
        return lengths
    }

    /// One line for a run's summary, e.g. "clip lengths (10 s): 3 padded, 1 truncated, 96 exact;
    /// 2 rejected below 0.5 x 10 s".
    public var summary: String {
        String(format: "clip lengths (%g s): %d padded, %d truncated, %d exact; %d rejected below %g x %g s",
               duration, padded, truncated, exact, rejectedShort, minDurationFraction, duration)
    }
}
