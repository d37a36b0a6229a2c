/// Decoded audio, planar: one `[Float]` per channel, all of the same length.
///
/// Planar (not interleaved) because every later stage — channel mixing, resampling, framing —
/// works on one channel at a time, and librosa's own layout is `[channels, samples]`.
public struct AudioBuffer: Sendable, Equatable {
    public var sampleRate: Int
    public var channels: [[Float]]

    public init(sampleRate: Int, channels: [[Float]]) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    public var channelCount: Int { channels.count }
    public var frameCount: Int { channels.first?.count ?? 0 }
    public var durationSeconds: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }
}
