import AudioIO
import ConfigCoding
import Foundation

/// How every clip is prepared before its features: checks, channels, rate, length.
public struct AudioPolicy: Codable, Equatable, Sendable {
    /// The rate every clip is resampled to (and the features' `sr`).
    public var sampleRate: Int
    public var channels: ChannelPolicy
    /// Fixed clip length in seconds: zero-padded or truncated at the end (`librosa.util.fix_length`).
    public var duration: Double?
    public var resampler: ResamplerSpec
    /// Reject files whose channel count is not listed (nil: any).
    public var expectChannels: [Int]?
    /// Reject files whose native rate is not listed (nil: any).
    public var expectSampleRates: [Int]?
    /// Reject clips that are digital silence (every sample zero).
    public var rejectSilent: Bool
    /// Reject clips shorter than this fraction of `duration` (`min_duration_fraction`, default 0.5):
    /// padding a 2-s file with 8 s of zeros to 10 s gives a row that is mostly silence, labeled as
    /// the scene. 0 keeps every clip (each padded one is still counted in the manifest); 1 rejects
    /// every clip shorter than `duration`.
    public var minDurationFraction: Double
    /// Cut each file into `duration`-long segments starting every `segment_hop` seconds (the SELD
    /// baselines' `label_sequence_length` windows), one row each, instead of keeping only its start:
    /// the last segment is zero-padded; every row carries `meta/recording` and `meta/start`.
    public var segmentHop: Double?
    /// `length: keep` keeps every recording whole, at its own length (no `duration`): the store's
    /// feature and target columns are then variable-length (`[ΣT, C, F]` + `<name>_offsets`, README
    /// "The store"). `fixed` (the default) cuts or pads every clip to `duration`.
    public var length: ClipLength

    /// How long a row's audio is.
    public enum ClipLength: String, Codable, Sendable {
        /// Every row `duration` seconds (`librosa.util.fix_length`).
        case fixed
        /// Every row its recording's own length.
        case keep
    }

    /// Whether each recording is kept whole at its own length (`length: keep`).
    public var keepsWholeRecordings: Bool { length == .keep }

    public init(sampleRate: Int = 44100, channels: ChannelPolicy = .mono, duration: Double? = 10.0,
                resampler: ResamplerSpec = .librosaDefault, expectChannels: [Int]? = nil,
                expectSampleRates: [Int]? = nil, rejectSilent: Bool = true, minDurationFraction: Double = 0.5,
                segmentHop: Double? = nil, length: ClipLength = .fixed) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.duration = duration
        self.resampler = resampler
        self.expectChannels = expectChannels
        self.expectSampleRates = expectSampleRates
        self.rejectSilent = rejectSilent
        self.minDurationFraction = minDurationFraction
        self.segmentHop = segmentHop
        self.length = length
        if length == .keep { self.duration = nil }
    }

    /// Samples per clip after `fix_length`, if a duration is set.
    public var targetLength: Int? { targetLength(at: sampleRate) }

    /// Samples per clip at `rate` after `fix_length`, if a duration is set.
    public func targetLength(at rate: Int) -> Int? { duration.map { Int(($0 * Double(rate)).rounded()) } }

    /// The fewest samples a file at `rate` may have (`min_duration_fraction` × `duration`), if a
    /// duration is set.
    public func minimumLength(at rate: Int) -> Int? {
        duration.map { Int(($0 * minDurationFraction * Double(rate)).rounded(.up)) }
    }

    enum CodingKeys: String, CodingKey {
        case sampleRate = "sample_rate", channels, duration, resampler
        case expectChannels = "expect_channels", expectSampleRates = "expect_sample_rates", rejectSilent = "reject_silent"
        case minDurationFraction = "min_duration_fraction", segmentHop = "segment_hop", length
    }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: AudioPolicy())
        try f.decode("sample_rate", \.sampleRate)
        try f.decode("channels", \.channels)
        try f.decode("length", \.length)
        let durationGiven = f.contains("duration")
        try f.decode("duration", \.duration)
        try f.decode("resampler", \.resampler)
        try f.decode("expect_channels", \.expectChannels)
        try f.decode("expect_sample_rates", \.expectSampleRates)
        try f.decode("reject_silent", \.rejectSilent)
        try f.decode("min_duration_fraction", \.minDurationFraction)
        try f.decode("segment_hop", \.segmentHop)
        if f.value.length == .keep {
            // Keys that only mean something for fixed-length rows are refused, not ignored.
            if durationGiven {
                throw f.invalid("duration", "audio.length: keep keeps each recording at its own length; remove audio.duration (or use length: fixed)")
            }
            for key in ["segment_hop", "min_duration_fraction"] where f.contains(key) {
                throw f.invalid(key, "audio.\(key) cuts or pads rows to audio.duration, which audio.length: keep does not have")
            }
            f.value.duration = nil
        } else if durationGiven, f.value.duration == nil {
            throw f.invalid("duration", "null is not a length: give seconds, or audio.length: keep to keep each recording at its own length")
        }
        self = try f.finish()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(channels, forKey: .channels)
        try c.encode(duration, forKey: .duration)
        try c.encode(resampler, forKey: .resampler)
        try c.encode(expectChannels, forKey: .expectChannels)
        try c.encode(expectSampleRates, forKey: .expectSampleRates)
        try c.encode(rejectSilent, forKey: .rejectSilent)
        try c.encode(minDurationFraction, forKey: .minDurationFraction)
        // Left out when unset, so configs without it keep their hash.
        try c.encodeIfPresent(segmentHop, forKey: .segmentHop)
        if length == .keep { try c.encode(length, forKey: .length) }
    }
}
