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
        // Read no more than the clip keeps (plus the resampler's context): memory bounded by `duration`
        // and, for a segment, by where it ends in the file.
        let decoded = try AudioDecoder.decode(URL(fileURLWithPath: path), channels: policy.channels,
                                              limit: policy.duration.map { ReadLimit.keeping(duration: startSeconds + $0) },
                                              scratch: &scratch)
        if let allowed = policy.expectChannels, !allowed.contains(decoded.fileChannelCount) {
            throw AudioError.unexpectedChannelCount(path: path, found: decoded.fileChannelCount, allowed: allowed)
        }
        if let allowed = policy.expectSampleRates, !allowed.contains(decoded.buffer.sampleRate) {
            throw AudioError.unexpectedSampleRate(path: path, found: decoded.buffer.sampleRate, allowed: allowed)
        }
        if policy.rejectSilent, decoded.isSilent { throw AudioError.silent(path: path) }
        let rate = decoded.buffer.sampleRate
        // A later segment of a long file may be mostly padding (the file's tail): only the file as a
        // whole must be long enough.
        if startSeconds == 0, let minimum = policy.minimumLength(at: rate), decoded.buffer.frameCount < minimum,
           let duration = policy.duration {
            throw ClipTooShort(path: path, samples: decoded.buffer.frameCount, sampleRate: rate,
                               duration: duration, fraction: policy.minDurationFraction)
        }
        timing.decode += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let fileFrames = decoded.reachedLimit ? max(decoded.headerFrames ?? 0, decoded.framesRead) : decoded.framesRead
        guard startSeconds > 0 else { return Clip(buffer: decoded.buffer, fileFrames: fileFrames) }
        // Keep up to the resampler's context before the segment, so resampling the slice gives the
        // samples resampling the whole file would.
        let startFrame = Int((startSeconds * Double(rate)).rounded())
        let first = max(0, min(decoded.buffer.frameCount, startFrame - Int((ReadLimit.resamplerContext * Double(rate)).rounded())))
        let lead = min(decoded.buffer.frameCount, startFrame) - first
        let sliced = AudioBuffer(sampleRate: rate, channels: decoded.buffer.channels.map { Array($0[first...]) })
        return Clip(buffer: sliced, fileFrames: fileFrames, leadFrames: lead)
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
