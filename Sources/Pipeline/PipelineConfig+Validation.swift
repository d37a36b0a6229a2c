import AudioIO
import ConfigCoding
import Features
import Foundation

extension PipelineConfig {
    /// Every value that cannot work, each named by its key path (`features[0].win_length`,
    /// `audio.duration`, `output.shard_rows`).
    public var problems: [ConfigProblem] {
        var c = ConfigChecks()
        c.add(audio.problems, in: "audio")
        c.add(output.problems, in: "output")
        for (i, spec) in features.enumerated() { c.add(spec.problems, in: "features[\(i)]") }
        return c.problems
    }

    /// What the references only warn about (empty mel filters), by key path.
    public var warnings: [ConfigProblem] {
        features.enumerated().flatMap { i, spec in spec.warnings.map { $0.nested(in: "features[\(i)]") } }
    }

    /// Throws `PipelineError.invalidConfig` naming `source` and every impossible value, before
    /// any extractor is built (their constructors assume valid parameters) and before anything is
    /// read or written.
    public func validate(source: String? = nil) throws {
        let problems = self.problems
        guard !problems.isEmpty else { return }
        let prefix = source.map { "\($0): " } ?? ""
        throw PipelineError.invalidConfig(prefix + problems.map(\.description).joined(separator: "; "))
    }
}

extension AudioPolicy {
    /// 2³¹ samples (8 GiB of float32) per clip, over every channel the policy keeps: a 13.5-hour mono
    /// clip at 44.1 kHz, or 12.7 minutes of 64 channels. A clip is held whole (decoded, resampled,
    /// padded) before its features, so a longer one would exhaust memory; `duration: 1e9` is a typo.
    public static let maxClipSamples = 1 << 31

    /// The most channels a clip can have after the channel policy: 1 (mono), the selected ones, or
    /// for `keep` the largest expected count (the decoder's bound when none is listed).
    var channelBound: Int {
        switch channels {
        case .mono: return 1
        case .select(let indices): return max(indices.count, 1)
        case .keep: return max(expectChannels?.max() ?? AudioLimits.maxChannelCount, 1)
        }
    }

    public var problems: [ConfigProblem] {
        var c = ConfigChecks()
        // The decoder's accepted range: a rate outside it is no audio any file holds, and a
        // resampler asked for 2e9 Hz would allocate gigabytes per clip.
        if sampleRate < 1 { c.atLeast("sample_rate", sampleRate) }
        else {
            c.require(AudioLimits.sampleRates.contains(sampleRate), "sample_rate", sampleRate,
                      "must lie between \(AudioLimits.minSampleRate) and \(AudioLimits.maxSampleRate) Hz")
        }
        if let duration {
            c.positive("duration", duration)
            if duration.isFinite, duration > 0, AudioLimits.sampleRates.contains(sampleRate) {
                let samples = duration * Double(sampleRate) * Double(channelBound)
                let count = samples < 9e18 ? String(Int(samples)) : "\(samples)"
                let perChannel = channelBound == 1 ? "1 channel" : "\(channelBound) channels"
                c.require(samples <= Double(Self.maxClipSamples), "duration", duration,
                          "gives \(count) samples per clip (at \(sampleRate) Hz, \(perChannel)), "
                          + "above the bound 2^31 = \(Self.maxClipSamples)")
            }
        }
        if case .select(let indices) = channels {
            c.require(!indices.isEmpty, "channels", "[]", "selects no channel")
            for index in indices where index < 0 { c.require(false, "channels", index, "is not a channel index (0-based)") }
        }
        for n in expectChannels ?? [] where n < 1 { c.atLeast("expect_channels", n) }
        for rate in expectSampleRates ?? [] where rate < 1 { c.atLeast("expect_sample_rates", rate) }
        c.require(minDurationFraction.isFinite && (0...1).contains(minDurationFraction), "min_duration_fraction",
                  minDurationFraction, "must lie between 0 and 1")
        if let segmentHop {
            c.positive("segment_hop", segmentHop)
            c.require(duration != nil, "segment_hop", segmentHop, "needs a duration (the segment length)")
        }
        return c.problems
    }
}

extension OutputSpec {
    public var problems: [ConfigProblem] {
        var c = ConfigChecks()
        c.atLeast("shard_rows", shardRows)
        return c.problems
    }
}
