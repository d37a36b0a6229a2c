import ConfigCoding

extension GammatoneParameters {
    /// Sizes after resolving `twin`/`thop` (`win_length`/`hop_length` override them), the band
    /// limits, and the conversions' constants.
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.atLeast("sr", sr)
        if let winLength { c.atLeast("win_length", winLength) } else { c.positive("twin", twin) }
        if let hopLength { c.atLeast("hop_length", hopLength) } else { c.positive("thop", thop) }
        guard c.problems.isEmpty else { return c.problems }
        let nwin = resolvedWinLength, nhop = resolvedHopLength
        let winKey = winLength == nil ? "twin" : "win_length"
        c.require(nwin >= 1, winKey, winLength.map(String.init) ?? "\(twin)", "gives a window of \(nwin) samples at sr = \(sr)")
        c.require(nhop >= 1, hopLength == nil ? "thop" : "hop_length", hopLength.map(String.init) ?? "\(thop)",
                  "gives a hop of \(nhop) samples at sr = \(sr)")
        if let nfft { c.atLeast("nfft", nfft) }
        if method == .fft, nwin >= 1 {
            // The STFT centres its window in nfft; scipy's spectrogram needs nfft ≥ nperseg.
            let window = framing == .ellis ? 2 * (nwin / 2) : nwin
            c.require(window <= resolvedNFFT, nfft == nil ? winKey : "nfft", nfft ?? nwin,
                      nfft == nil ? "exceeds nfft" : "is shorter than the window of \(window) samples")
        }
        c.atLeast("nfilts", nfilts)
        c.nonNegative("fmin", fmin)
        let nyquist = Double(sr) / 2
        let top = fmax ?? nyquist
        if let fmax { c.require(fmax.isFinite && fmax <= nyquist, "fmax", fmax, "must be at most the Nyquist frequency sr/2 = \(nyquist)") }
        if fmin.isFinite { c.require(fmin < top, "fmin", fmin, "must be below fmax = \(top)") }
        c.positive("width", width)
        c.positive("power", power)
        c.require(inputScale.isFinite && inputScale != 0, "input_scale", inputScale, "must be a finite non-zero number")
        switch log {
        case .none: break
        case .gtgInDB:
            c.positive("log_constant", logConstant)
            c.finite("dB_threshold", dbThreshold)
        case .amplitudeToDB, .powerToDB:
            c.positive("amin", resolvedAmin)
            if let topDB { c.nonNegative("top_db", topDB) }
            if case .value(let v) = ref { c.finite("ref", v) }
        }
        return c.problems
    }
}
