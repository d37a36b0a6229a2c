import AudioIO
import Foundation

/// Turns one audio file into the waveform the features expect: decode, check, mix or select
/// channels, resample, fix the length. One per worker thread (it owns its resampler).
public struct ClipLoader {
    public let policy: AudioPolicy
    let resampler: any Resampler

    public init(policy: AudioPolicy) throws {
        self.policy = policy
        resampler = try policy.resampler.makeResampler()
    }

    /// Time spent in each step of the last `load`, in seconds.
    public struct Timing { public var decode = 0.0, resample = 0.0 }

    /// A decoded clip at the file's own rate, and the file's length in frames.
    ///
    /// Reading stops at what the clip keeps, so `buffer` may be shorter than the file: `fileFrames`
    /// is then the header's claim (a header that claims nothing gives the frames read, a lower bound
    /// that is still above the clip's length, so the clip counts as truncated either way).
    public struct Clip {
        public var buffer: AudioBuffer
        public var fileFrames: Int
        /// Frames of `buffer` before the segment starts: resampler context kept for a segment that
        /// starts inside the file (`audio.segment_hop`), dropped again by `prepare`. 0 for a clip.
        public var leadFrames = 0
        public var fileSeconds: Double { Double(fileFrames) / Double(buffer.sampleRate) }
    }

    /// Decodes and checks the file and applies the channel policy, at the file's own rate.
    /// `scratch` is the worker's interleaved read buffer, reused from clip to clip.
    /// `startSeconds` is where a segment starts in the file (`audio.segment_hop`), 0 for a clip.
    public func decode(_ path: String, startSeconds: Double = 0, scratch: inout [Float], timing: inout Timing) throws -> Clip {
        let start = DispatchTime.now().uptimeNanoseconds
        // Read no more than the clip keeps (plus the resampler's context): memory bounded by `duration`.
        // A segment that starts inside the file is decoded from a seek to its start less the
        // resampler's context, up to its end plus that context: the frames, and so the resampled
        // segment, are those a read from the file's start would give over that span, without the
        // minutes before it (see `ReadStart`).
        let from = startSeconds > 0 ? ReadStart(seconds: startSeconds, leadSeconds: ReadLimit.resamplerContext) : nil
        let decoded = try AudioDecoder.decode(URL(fileURLWithPath: path), channels: policy.channels,
                                              limit: policy.duration.map { ReadLimit.keeping(duration: startSeconds + $0) },
                                              start: from, scratch: &scratch)
        if let allowed = policy.expectChannels, !allowed.contains(decoded.fileChannelCount) {
            throw AudioError.unexpectedChannelCount(path: path, found: decoded.fileChannelCount, allowed: allowed)
        }
        if let allowed = policy.expectSampleRates, !allowed.contains(decoded.buffer.sampleRate) {
            throw AudioError.unexpectedSampleRate(path: path, found: decoded.buffer.sampleRate, allowed: allowed)
        }
        // Digital silence is a broken file, judged on a clip or a file's first segment; a later segment
        // that is silent is a quiet stretch of a recording that has sound, and is kept.
        if policy.rejectSilent, startSeconds == 0, decoded.isSilent { throw AudioError.silent(path: path) }
        let rate = decoded.buffer.sampleRate
        // A later segment of a long file may be mostly padding (the file's tail): only the file as a
        // whole must be long enough.
        if startSeconds == 0, let minimum = policy.minimumLength(at: rate), decoded.buffer.frameCount < minimum,
           let duration = policy.duration {
            throw ClipTooShort(path: path, samples: decoded.buffer.frameCount, sampleRate: rate,
                               duration: duration, fraction: policy.minDurationFraction)
        }
        timing.decode += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let fileFrames = decoded.reachedLimit ? max(decoded.headerFrames ?? 0, decoded.endFrame) : decoded.endFrame
        guard let from else { return Clip(buffer: decoded.buffer, fileFrames: fileFrames) }
        // The context decoded before the segment, dropped again by `prepare` after resampling.
        let lead = min(decoded.endFrame, from.startFrame(atRate: rate)) - decoded.firstFrame
        return Clip(buffer: decoded.buffer, fileFrames: fileFrames, leadFrames: max(0, lead))
    }

    /// The decoded clip at `rate`, with the pipeline's fixed length; `leadFrames` (at the decoded
    /// rate) of context before the segment are dropped after resampling.
    public func prepare(_ decoded: AudioBuffer, rate: Int, leadFrames: Int = 0, timing: inout Timing) throws -> AudioBuffer {
        let start = DispatchTime.now().uptimeNanoseconds
        var audio = try decoded.resampled(to: rate, with: resampler)
        if leadFrames > 0 {
            let drop = min(audio.frameCount, Int((Double(leadFrames) * Double(rate) / Double(decoded.sampleRate)).rounded()))
            audio = AudioBuffer(sampleRate: rate, channels: audio.channels.map { Array($0[drop...]) })
        }
        if let length = policy.targetLength(at: rate) { audio = audio.fixedLength(length) }
        timing.resample += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return audio
    }

}
