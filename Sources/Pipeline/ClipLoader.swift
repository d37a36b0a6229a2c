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

    /// Decodes and checks the file and applies the channel policy, at the file's own rate.
    public func decode(_ path: String, timing: inout Timing) throws -> AudioBuffer {
        let url = URL(fileURLWithPath: path)
        let start = DispatchTime.now().uptimeNanoseconds
        let decoded = try AudioDecoder.decode(url)
        if let allowed = policy.expectChannels, !allowed.contains(decoded.channelCount) {
            throw AudioError.unexpectedChannelCount(path: path, found: decoded.channelCount, allowed: allowed)
        }
        if let allowed = policy.expectSampleRates, !allowed.contains(decoded.sampleRate) {
            throw AudioError.unexpectedSampleRate(path: path, found: decoded.sampleRate, allowed: allowed)
        }
        if policy.rejectSilent, decoded.channels.allSatisfy({ $0.allSatisfy { $0 == 0 } }) {
            throw AudioError.silent(path: path)
        }
        let mixed = try policy.channels.apply(to: decoded, path: path)
        timing.decode += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return mixed
    }

    /// The decoded clip at `rate`, with the pipeline's fixed length.
    public func prepare(_ decoded: AudioBuffer, rate: Int, timing: inout Timing) throws -> AudioBuffer {
        let start = DispatchTime.now().uptimeNanoseconds
        var audio = try decoded.resampled(to: rate, with: resampler)
        if let length = policy.targetLength(at: rate) { audio = audio.fixedLength(length) }
        timing.resample += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return audio
    }

    /// Decode, then prepare at the pipeline's rate.
    public func load(_ path: String, timing: inout Timing) throws -> AudioBuffer {
        try prepare(try decode(path, timing: &timing), rate: policy.sampleRate, timing: &timing)
    }
}
