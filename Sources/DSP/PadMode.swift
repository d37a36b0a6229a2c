import Foundation

/// How `center=True` extends the signal at both ends (numpy `np.pad` modes librosa accepts).
public enum PadMode: String, Codable, Sendable {
    /// Zeros: librosa ≥ 0.9's default.
    case constant
    /// Mirror without repeating the edge sample: librosa ≤ 0.8's and torchaudio's default.
    case reflect
}

extension PadMode {
    /// The value at `index` of `signal` padded as `np.pad(mode=self)` would (any index).
    @inline(__always) func sample(_ signal: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        let n = signal.count
        if index >= 0 && index < n { return signal[index] }
        switch self {
        case .constant:
            return 0
        case .reflect:
            guard n > 1 else { return n == 1 ? signal[0] : 0 }
            let period = 2 * (n - 1)
            var j = index % period
            if j < 0 { j += period }
            return signal[j < n ? j : period - j]
        }
    }
}
