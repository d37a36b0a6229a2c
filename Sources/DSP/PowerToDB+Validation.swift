import ConfigCoding

extension PowerToDB {
    /// librosa's `power_to_db` raises for `amin <= 0` and `top_db < 0`; a non-finite `ref` would
    /// turn every value into NaN.
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.positive("amin", amin)
        if let topDB { c.nonNegative("top_db", topDB) }
        if case .value(let v) = ref { c.finite("ref", v) }
        return c.problems
    }
}
