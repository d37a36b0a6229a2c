import ConfigCoding
import DSP

extension LogMelParameters {
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.sampleRate(sr)
        c.stft(nFFT: nFFT, hopLength: hopLength, winLength: winLength)
        c.positive("power", power)
        c.melBands(sr: sr, nFFT: nFFT, nMels: nMels, fmin: fmin, fmax: fmax)
        if log != .none { c.add(db.configurationProblems(), in: "db") }
        if let maxFrames { c.atLeast("max_frames", maxFrames) }
        return c.problems
    }

    /// librosa's `filters.mel` only warns ("Empty filters detected") when a band falls between two
    /// FFT bins; so does this, naming the bands.
    public func configurationWarnings() -> [ConfigProblem] {
        guard configurationProblems().isEmpty else { return [] }
        let bank = MelFilterbank(sampleRate: Double(sr), nFFT: nFFT, nMels: nMels, fmin: fmin, fmax: fmax,
                                 scale: melScale, norm: norm)
        return Self.emptyFilterWarnings(bank, nFFT: nFFT, sr: sr)
    }

    /// The warning for the bands of `bank` that have no weight (librosa's test: a band whose lower
    /// edge is not 0 Hz and whose largest weight is 0).
    static func emptyFilterWarnings(_ bank: MelFilterbank, nFFT: Int, sr: Int) -> [ConfigProblem] {
        let empty = (0..<bank.nMels).filter { band in
            bank.edges[band] != 0 && !bank.weights[(band * bank.binCount)..<((band + 1) * bank.binCount)].contains { $0 > 0 }
        }
        guard !empty.isEmpty else { return [] }
        let shown = empty.prefix(8).map(String.init).joined(separator: ", ") + (empty.count > 8 ? ", …" : "")
        return [ConfigProblem("n_mels", bank.nMels,
            "gives \(empty.count) empty mel filters (bands \(shown)) at n_fft = \(nFFT), sr = \(sr); "
            + "librosa warns too: increase n_fft or fmax, or reduce n_mels")]
    }
}
