import ConfigCoding

extension ESgramParameters {
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.add(logmel.configurationProblems(), in: "")
        c.positive("alpha", gate.alpha)
        c.require(gate.ddof >= 0 && gate.ddof < logmel.nMels, "ddof", gate.ddof,
                  "must be in 0..<n_mels (\(logmel.nMels)): the variance is over the mel axis")
        if gate.mu == .fixed { c.finite("mu_value", gate.muValue) }
        return c.problems
    }

    public func configurationWarnings() -> [ConfigProblem] { logmel.configurationWarnings() }
}
