/// Where a decode starts in a file: a segment `seconds` into a long recording (`audio.segment_hop`),
/// with `leadSeconds` of the audio before it kept as resampler context.
///
/// The decoder seeks there (`sf_seek`) instead of reading and dropping the file's beginning, so a
/// segment near the end of a 5-minute 4-channel recording costs the segment's frames, not the
/// minutes before it. Frames are counted at the file's own rate, known only once it is open.
public struct ReadStart: Sendable, Equatable {
    /// Where the wanted audio starts, in seconds from the file's start.
    public var seconds: Double
    /// Audio before `seconds` decoded too (clamped at the file's start).
    public var leadSeconds: Double

    public init(seconds: Double, leadSeconds: Double) {
        self.seconds = seconds
        self.leadSeconds = leadSeconds
    }

    /// The frame at `seconds` (rounded to the nearest frame).
    public func startFrame(atRate sampleRate: Int) -> Int {
        Self.frames(seconds, sampleRate)
    }

    /// The first frame decoded: `leadSeconds` (rounded) before the start frame, never before 0.
    public func firstFrame(atRate sampleRate: Int) -> Int {
        max(0, startFrame(atRate: sampleRate) - Self.frames(leadSeconds, sampleRate))
    }

    static func frames(_ seconds: Double, _ sampleRate: Int) -> Int {
        let frames = (seconds * Double(sampleRate)).rounded()
        guard frames.isFinite, frames > 0 else { return 0 }
        return frames < Double(Int.max / 2) ? Int(frames) : Int.max / 2
    }
}
