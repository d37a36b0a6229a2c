import ConfigCoding

/// The checks every STFT- and mel-based representation shares, under librosa's key names.
extension ConfigChecks {
    mutating func sampleRate(_ sr: Int, key: String = "sr") {
        atLeast(key, sr)
    }

    /// `n_fft ≥ 1`, `hop_length ≥ 1`, `1 ≤ win_length ≤ n_fft` (librosa's `pad_center` raises
    /// otherwise; here `Window.padded` would stop the process).
    mutating func stft(nFFT: Int, hopLength: Int, winLength: Int?) {
        atLeast("n_fft", nFFT)
        atLeast("hop_length", hopLength)
        if let winLength {
            if winLength < 1 { atLeast("win_length", winLength) }
            else { require(winLength <= nFFT, "win_length", winLength, "exceeds n_fft = \(nFFT)") }
        }
    }

    /// `n_mels ≥ 1`, `0 ≤ fmin < fmax ≤ sr/2` (fmax nil is sr/2).
    mutating func melBands(sr: Int, nMels: Int, fmin: Double, fmax: Double?) {
        atLeast("n_mels", nMels)
        nonNegative("fmin", fmin)
        let nyquist = Double(sr) / 2
        if let fmax {
            if !fmax.isFinite { finite("fmax", fmax) }
            else if fmax > nyquist, sr > 0 { require(false, "fmax", fmax, "is above the Nyquist frequency sr/2 = \(nyquist)") }
            else if fmin.isFinite { require(fmin < fmax, "fmin", fmin, "must be below fmax = \(fmax)") }
        } else if fmin.isFinite, sr > 0 {
            require(fmin < nyquist, "fmin", fmin, "must be below fmax = sr/2 = \(nyquist)")
        }
    }

    /// A positive finite exponent or scale stored as Float.
    mutating func positive(_ key: String, _ value: Float) { positive(key, Double(value)) }
}
