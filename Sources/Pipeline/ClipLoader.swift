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
        public var fileSeconds: Double { Double(fileFrames) / Double(buffer.sampleRate) }
    }

    /// Decodes and checks the file and applies the channel policy, at the file's own rate.
    /// `scratch` is the worker's interleaved read buffer, reused from clip to clip.
    public func decode(_ path: String, scratch: inout [Float], timing: inout Timing) throws -> Clip {
        let start = DispatchTime.now().uptimeNanoseconds
        // Read no more than the clip keeps (plus the resampler's context): memory bounded by `duration`.
        let decoded = try AudioDecoder.decode(URL(fileURLWithPath: path), channels: policy.channels,
                                              limit: policy.duration.map(ReadLimit.keeping), scratch: &scratch)
        if let allowed = policy.expectChannels, !allowed.contains(decoded.fileChannelCount) {
            throw AudioError.unexpectedChannelCount(path: path, found: decoded.fileChannelCount, allowed: allowed)
        }
        if let allowed = policy.expectSampleRates, !allowed.contains(decoded.buffer.sampleRate) {
            throw AudioError.unexpectedSampleRate(path: path, found: decoded.buffer.sampleRate, allowed: allowed)
        }
        if policy.rejectSilent, decoded.isSilent { throw AudioError.silent(path: path) }
        let rate = decoded.buffer.sampleRate
        if let minimum = policy.minimumLength(at: rate), decoded.buffer.frameCount < minimum, let duration = policy.duration {
            throw ClipTooShort(path: path, samples: decoded.buffer.frameCount, sampleRate: rate,
                               duration: duration, fraction: policy.minDurationFraction)
        }
        timing.decode += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let fileFrames = decoded.reachedLimit ? max(decoded.headerFrames ?? 0, decoded.framesRead) : decoded.framesRead
        return Clip(buffer: decoded.buffer, fileFrames: fileFrames)
    }

    /// The decoded clip at `rate`, with the pipeline's fixed length.
    public func prepare(_ decoded: AudioBuffer, rate: Int, timing: inout Timing) throws -> AudioBuffer {
        let start = DispatchTime.now().uptimeNanoseconds
        var audio = try decoded.resampled(to: rate, with: resampler)
        if let length = policy.targetLength(at: rate) { audio = audio.fixedLength(length) }
        timing.resample += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return audio
    }

}
