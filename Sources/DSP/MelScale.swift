import Foundation

/// Hz ↔ mel conversions, exactly as `librosa.hz_to_mel` / `mel_to_hz` (features.md §1.3).
public enum MelScale: String, Codable, Sendable {
    /// Slaney's Auditory Toolbox scale: linear below 1 kHz, logarithmic above (librosa's default).
    case slaney
    /// HTK: `2595 log10(1 + f/700)` (torchaudio's default).
    case htk

    static let fSp = 200.0 / 3
    static let minLogHz = 1000.0
    static let minLogMel = (minLogHz - 0.0) / fSp
    static let logStep = log(6.4) / 27.0

    public func mel(fromHz f: Double) -> Double {
        switch self {
        case .htk:
            return 2595.0 * log10(1.0 + f / 700.0)
        case .slaney:
            if f >= Self.minLogHz { return Self.minLogMel + log(f / Self.minLogHz) / Self.logStep }
            return (f - 0.0) / Self.fSp
        }
    }

    public func hz(fromMel m: Double) -> Double {
        switch self {
        case .htk:
            return 700.0 * (pow(10.0, m / 2595.0) - 1.0)
        case .slaney:
            if m >= Self.minLogMel { return Self.minLogHz * exp(Self.logStep * (m - Self.minLogMel)) }
            return 0.0 + Self.fSp * m
        }
    }

    /// `librosa.mel_frequencies`: `count` points equally spaced in mel between `fmin` and `fmax`,
    /// in Hz (numpy `linspace` arithmetic, last point exactly `fmax`'s mel).
    public func frequencies(count: Int, fmin: Double, fmax: Double) -> [Double] {
        let lo = mel(fromHz: fmin), hi = mel(fromHz: fmax)
        return linspace(lo, hi, count).map { hz(fromMel: $0) }
    }
}

/// `numpy.linspace(start, stop, num)` with its exact arithmetic: `i·step + start`, last = stop.
public func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
    guard num > 1 else { return num == 1 ? [start] : [] }
    let step = (stop - start) / Double(num - 1)
    var out = (0..<num).map { Double($0) * step + start }
    out[num - 1] = stop
    return out
}
