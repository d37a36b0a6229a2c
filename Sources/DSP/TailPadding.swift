import Foundation

/// How centred framing pads the end of the signal (`pad_tail`), for pad modes that read the signal
/// (reflect). features.md §1.2.
///
/// librosa ≥ 0.10 (the pinned 0.11 included) avoids copying the whole signal: it pads the head
/// slice and the tail slice `y[tail_k·hop − n_fft/2 :]` separately, `tail_k = (n + n_fft/2 − n_fft)/hop + 1`.
/// When that tail slice is not longer than the pad, numpy reflects the short slice again and the
/// last frame differs from padding the whole signal. Worked out from librosa's index arithmetic
/// (and checked on a sweep against librosa itself, `dsp.json` `stft_tail_rule`), this happens exactly
/// when all of these hold:
/// - `center` and `pad_mode: reflect` (constant padding is the same either way; numpy's `edge` and
///   `symmetric`, not offered here, were checked never to differ either);
/// - `n_fft` even and `hop_length ≥ n_fft/2` (odd n_fft, or smaller hops, are never affected);
/// - the length `n` is a multiple of `hop_length` and at least two hops.
/// Then only the last frame changes, and only its last sample: `y[n − n_fft/2 + 1]` instead of
/// `y[n − n_fft/2 − 1]`. It reaches the top octaves of a reflect-padded CQT (small n_fft, large hop).
public enum TailPadding: String, Codable, Sendable {
    /// librosa ≥ 0.10's: the tail slice padded on its own (the default: the goldens pin librosa 0.11).
    case slice
    /// `np.pad` of the whole signal: torch.stft / torchaudio, nnAudio, librosa ≤ 0.9.
    case whole
}

extension TailPadding {
    /// Where librosa's separately padded tail slice starts for a signal of `n` samples, or nil when
    /// every frame sees whole-signal padding (always for `.whole`, constant padding, or when the
    /// slice is long enough that reflecting it equals reflecting the whole signal).
    ///
    /// Mirrors `librosa.stft` (0.11): `start_k = ceil((n_fft//2)/hop)`; if `tail_k <= start_k` the
    /// whole signal is padded; the tail frames exist only if `tail_k·hop − n_fft//2 + n_fft <= n + n_fft//2`.
    public func sliceStart(sampleCount n: Int, nFFT: Int, hopLength hop: Int, padMode: PadMode) -> Int? {
        guard self == .slice, padMode == .reflect, hop > 0 else { return nil }
        let half = nFFT / 2
        guard half > 0 else { return nil }
        let startK = (half + hop - 1) / hop
        let tailK = Self.floorDivide(n + half - nFFT, hop) + 1
        guard tailK > startK, tailK * hop - half + nFFT <= n + half else { return nil }
        let start = tailK * hop - half
        // A slice longer than the pad reflects exactly as the whole signal does.
        return n - start > half ? nil : start
    }

    /// Python's `//` (rounds toward −∞; Swift's `/` rounds toward 0).
    static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

extension PadMode {
    /// The value at `index` as centred framing reads it: `np.pad(mode=self)` of the whole signal,
    /// except past the end when librosa pads a tail slice starting at `tailSliceStart` on its own.
    @inline(__always) func sample(_ signal: UnsafeBufferPointer<Float>, at index: Int, tailSliceStart: Int?) -> Float {
        if let start = tailSliceStart, index >= signal.count {
            return sample(UnsafeBufferPointer(rebasing: signal[start...]), at: index - start)
        }
        return sample(signal, at: index)
    }
}
