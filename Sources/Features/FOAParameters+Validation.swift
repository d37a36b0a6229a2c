import ConfigCoding
import DSP

extension FOAParameters {
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.sampleRate(sr)
        c.stft(nFFT: nFFT, hopLength: hopLength, winLength: winLength)
        c.melBands(sr: sr, nFFT: nFFT, nMels: nMels, fmin: fmin, fmax: fmax)
        switch log {
        case .db: c.add(db.configurationProblems(), in: "db")
        case .ln: c.positive("log_eps", logEps)
        }
        c.nonNegative("eps", eps)
        c.nonNegative("sample_eps", sampleEps)
        return c.problems
    }

    /// The baselines build their mel basis with `librosa.filters.mel`, which warns for empty bands.
    public func configurationWarnings() -> [ConfigProblem] {
        guard configurationProblems().isEmpty else { return [] }
        let bank = MelFilterbank(sampleRate: Double(sr), nFFT: nFFT, nMels: nMels, fmin: fmin, fmax: fmax)
        return LogMelParameters.emptyFilterWarnings(bank, nFFT: nFFT, sr: sr)
    }
}
