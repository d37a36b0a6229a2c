import ConfigCoding

extension CPJKUMelParameters {
    /// The STFT sizes, the Kaldi bank's limits (at least 4 bands, an even n_fft, `0 ≤ fmin < fmax ≤
    /// sr/2` after Kaldi's rule that `fmax ≤ 0` is an offset from Nyquist) and the constants.
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.atLeast("sr", sr)
        c.stft(nFFT: nFFT, hopLength: hopLength, winLength: winLength)
        c.require(nFFT < 1 || nFFT % 2 == 0, "n_fft", nFFT, "must be even (Kaldi's mel banks)")
        c.atLeast("n_mels", nMels, 4)
        c.nonNegative("fmin", fmin)
        c.atLeast("fmax_aug_range", fmaxAugRange, 0)
        let nyquist = Double(sr) / 2
        let high = resolvedFmax <= 0 ? nyquist + resolvedFmax : resolvedFmax
        if resolvedFmax.isFinite, fmin.isFinite, sr > 0 {
            c.require(high <= nyquist, "fmax", resolvedFmax, "is above the Nyquist frequency sr/2 = \(nyquist)")
            c.require(fmin < high, "fmin", fmin, "must be below fmax = \(high)")
        } else {
            c.finite("fmax", resolvedFmax)
        }
        c.finite("preemphasis", Double(preemphasis))
        c.positive("power", power)
        c.nonNegative("log_offset", Double(logOffset))
        c.finite("normalize_shift", Double(normalizeShift))
        c.require(normalizeScale.isFinite && normalizeScale != 0, "normalize_scale", normalizeScale, "must be a finite non-zero number")
        guard c.problems.isEmpty else { return c.problems }
        if let error = CPJKUMel(name: Self.kind, parameters: self).configurationError {
            c.add(ConfigProblem("", error.description))
        }
        return c.problems
    }
}
