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
    public var problems: [ConfigProblem] {
        var c = ConfigChecks()
        c.atLeast("sample_rate", sampleRate)
        if let duration { c.positive("duration", duration) }
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
