import ConfigCoding

extension CQTParameters {
    /// The rules librosa's `cqt` (and nnAudio's constructor) enforce on single values; the
    /// transform's own constructor then checks what depends on several (filters above Nyquist).
    var parameterProblems: [ConfigProblem] {
        var c = ConfigChecks()
        c.atLeast("sr", sr)
        c.atLeast("hop_length", hopLength)
        c.atLeast("n_bins", nBins, variant == .librosa ? 2 : 1)
        c.atLeast("bins_per_octave", binsPerOctave)
        c.positive("fmin", effectiveFmin)
        // A fraction of a bin, as `librosa.estimate_tuning` gives it; far outside, the tuned
        // frequencies overflow and the transform's constructor would trap.
        c.require(tuning.isFinite && tuning >= -0.5 && tuning < 0.5, "tuning", tuning, "must be in [-0.5, 0.5) (a fraction of a bin)")
        c.positive("filter_scale", filterScale)
        if let norm { c.require(norm == 1 || norm == 2, "norm", norm, "must be 1, 2 or null") }
        c.require(sparsity.isFinite && (0..<1).contains(sparsity), "sparsity", sparsity, "must be in [0, 1)")
        c.require(resType == "soxr_hq", "res_type", resType, "is not implemented (only soxr_hq, librosa ≥ 0.10's default, is)")
        c.require(variant != .librosa || center, "center", center, "is nnaudio1992v2-only: librosa's cqt is always centred")
        if output == .db {
            c.positive("amin", amin)
            if let topDB { c.nonNegative("top_db", topDB) }
            if case .value(let v) = ref { c.finite("ref", v) }
        }
        return c.problems
    }

    public func configurationProblems() -> [ConfigProblem] {
        let problems = parameterProblems
        guard problems.isEmpty else { return problems }
        // Built only once the single values are sound: the transform's constructor assumes them.
        return CQT(name: Self.kind, parameters: self).configurationError.map { [ConfigProblem("", $0)] } ?? []
    }
}
