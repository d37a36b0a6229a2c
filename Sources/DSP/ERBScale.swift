import Foundation

/// The Glasberg & Moore ERB scale as Slaney's Auditory Toolbox and the `gammatone` package use it
/// (features.md §2.1): `ERB(f) = width·(f/EarQ + minBW)`, order 1.
///
/// Centre frequencies are uniformly spaced on this scale between `fmin` and `fmax`. The reference
/// (`erb_space`) lists them *descending* and never reaches `fmax`; every gammatone spectrogram
/// (Ellis, detly's `fft_weights`, `gtgram`) reverses them, so `centreFrequencies` returns them
/// ascending, row 0 being exactly `fmin`.
public enum ERBScale {
    /// Glasberg and Moore's parameters (Apple TR #35).
    public static let earQ = 9.26449
    public static let minBW = 24.7

    /// `erb_point(low, high, fraction)`: `fraction` 1 gives `low`, 0 gives `high`.
    public static func point(low: Double, high: Double, fraction: Double) -> Double {
        let em = earQ * minBW
        return -em + exp(fraction * (-log(high + em) + log(low + em))) * (high + em)
    }

    /// `erb_space(low, high, num)`: `num` points, descending, the last one equal to `low`.
    public static func space(low: Double, high: Double, count: Int) -> [Double] {
        guard count > 0 else { return [] }
        return (1...count).map { point(low: low, high: high, fraction: Double($0) / Double(count)) }
    }

    /// The filterbank's centre frequencies in Hz, ascending (`erb_space(fmin, fmax, n)[::-1]`).
    public static func centreFrequencies(count: Int, fmin: Double, fmax: Double) -> [Double] {
        space(low: fmin, high: fmax, count: count).reversed()
    }

    /// Equivalent rectangular bandwidth of the filter at `centre` Hz, scaled by `width`.
    public static func bandwidth(_ centre: Double, width: Double = 1) -> Double {
        width * (centre / earQ + minBW)
    }
}
