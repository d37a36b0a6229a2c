import ConfigCoding

/// The checks every STFT- and mel-based representation shares, under librosa's key names.
extension ConfigChecks {
    /// 2²⁰ = 1,048,576 points (23.8 s at 44.1 kHz): far beyond any analysis window in use (librosa's
    /// default is 2048), yet a frame, its window and its spectrum stay a few MiB. Above it a typo
    /// (2²⁴) asks for gigabytes of filterbank and window before the first clip.
    static let maxFFTSize = 1 << 20
    /// 2²⁷ weights (512 MiB of float32): the largest mel bank, `n_mels × (1 + n_fft/2)`, built once
    /// per extractor. 64 bands at n_fft 2048 are 65,600 weights; a bank past the bound is a typo.
    static let maxMelWeights = 1 << 27

    mutating func sampleRate(_ sr: Int, key: String = "sr") {
        atLeast(key, sr)
    }

    /// `1 ≤ n_fft ≤ 2²⁰`, `hop_length ≥ 1`, `1 ≤ win_length ≤ n_fft` (librosa's `pad_center` raises
    /// otherwise; here `Window.padded` would stop the process).
    mutating func stft(nFFT: Int, hopLength: Int, winLength: Int?) {
        if nFFT < 1 { atLeast("n_fft", nFFT) }
        else { require(nFFT <= Self.maxFFTSize, "n_fft", nFFT, "exceeds the largest supported FFT size 2^20 = \(Self.maxFFTSize)") }
        atLeast("hop_length", hopLength)
        if let winLength {
            if winLength < 1 { atLeast("win_length", winLength) }
            else { require(winLength <= nFFT, "win_length", winLength, "exceeds n_fft = \(nFFT)") }
        }
    }

    /// `n_mels ≥ 1`, `0 ≤ fmin < fmax ≤ sr/2` (fmax nil is sr/2), a bank of at most 2²⁷ weights,
    /// and at least one FFT bin inside the bank (see `everyMelFilterEmpty`).
    mutating func melBands(sr: Int, nFFT: Int, nMels: Int, fmin: Double, fmax: Double?) {
        let problemsBefore = problems.count
        atLeast("n_mels", nMels)
        if nMels >= 1, (1...Self.maxFFTSize).contains(nFFT) {
            let weights = nMels * (1 + nFFT / 2)
            require(weights <= Self.maxMelWeights, "n_mels", nMels,
                    "with n_fft = \(nFFT) needs \(weights) filter weights, above the bound 2^27 = \(Self.maxMelWeights)")
        }
        nonNegative("fmin", fmin)
        let nyquist = Double(sr) / 2
        if let fmax {
            if !fmax.isFinite { finite("fmax", fmax) }
            else if fmax > nyquist, sr > 0 { require(false, "fmax", fmax, "is above the Nyquist frequency sr/2 = \(nyquist)") }
            else if fmin.isFinite { require(fmin < fmax, "fmin", fmin, "must be below fmax = \(fmax)") }
        } else if fmin.isFinite, sr > 0 {
            require(fmin < nyquist, "fmin", fmin, "must be below fmax = sr/2 = \(nyquist)")
        }
        guard problems.count == problemsBefore, nMels >= 1, (1...Self.maxFFTSize).contains(nFFT), sr > 0 else { return }
        let high = fmax ?? nyquist
        require(!Self.everyMelFilterEmpty(sr: sr, nFFT: nFFT, fmin: fmin, fmax: high), "n_fft", nFFT,
                "leaves every mel filter empty (no FFT bin lies between fmin = \(fmin) and fmax = \(high) Hz "
                + "at sr = \(sr)), so every value would be the floor: increase n_fft")
    }

    /// A positive finite exponent or scale stored as Float.
    mutating func positive(_ key: String, _ value: Float) { positive(key, Double(value)) }

    /// A triangular mel filter weighs bin frequency f > 0 exactly when f lies strictly inside its
    /// band, and the bands tile (fmin, fmax); so the whole bank is zero — every row the dB floor,
    /// as n_fft 1 gave — exactly when no bin `k·sr/n_fft`, `0 ≤ k ≤ n_fft/2`, lies in that open
    /// interval. Some empty bands are only librosa's warning; all of them is an error.
    static func everyMelFilterEmpty(sr: Int, nFFT: Int, fmin: Double, fmax: Double) -> Bool {
        let binWidth = Double(sr) / Double(nFFT)
        let firstAbove = (fmin / binWidth).rounded(.down) + 1
        return firstAbove > Double(nFFT / 2) || firstAbove * binWidth >= fmax
    }
}
