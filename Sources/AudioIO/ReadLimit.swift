/// How much of a file a decode keeps: the decoder stops reading there, so a clip's memory is bounded
/// by what the pipeline uses, not by the file (an hour of 48 kHz stereo is 1.4 GB of float samples
/// for a 10 s clip).
public struct ReadLimit: Sendable, Equatable {
    /// Seconds of audio, at the file's own rate, after which reading stops.
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Audio kept past a clip's end so that resampling the prefix gives, over the clip, the same
    /// samples as resampling the whole file: every resampler here is a windowed-sinc filter whose
    /// half-length is at most a few hundred samples at the lower of the two rates (~20 ms at 8 kHz),
    /// so half a second leaves a wide margin while adding only 5 % to a 10 s clip's decode.
    public static let resamplerContext = 0.5

    /// The limit for a pipeline that keeps `duration` seconds of every clip.
    public static func keeping(duration: Double) -> ReadLimit {
        ReadLimit(seconds: duration + resamplerContext)
    }

    /// Frames at `sampleRate` (rounded up; at least one, so a tiny duration still reads something).
    public func frames(atRate sampleRate: Int) -> Int {
        let frames = (seconds * Double(sampleRate)).rounded(.up)
        guard frames.isFinite, frames < Double(Int.max / 2) else { return Int.max / 2 }
        return max(1, Int(frames))
    }
}
