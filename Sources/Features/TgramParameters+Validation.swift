import ConfigCoding

extension TgramParameters {
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.atLeast("sr", sr)
        c.atLeast("win_length", winLength)
        c.atLeast("hop_length", hopLength)
        if let padding { c.atLeast("padding", padding, 0) }
        guard c.problems.isEmpty else { return c.problems }
        // The weights file is read once here, so a missing or misshapen file stops the run up front.
        if let error = Tgram(name: Self.kind, parameters: self).loadError {
            c.add(ConfigProblem("weights", error.description))
        }
        return c.problems
    }
}
