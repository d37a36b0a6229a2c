/// The floating-point precision an STFT's transform runs in (`precision:` of the STFT-based kinds).
///
/// `float64` mirrors numpy (librosa's `rfft` runs in float64 on the float64 product of window and
/// frame; the result is rounded to complex64), bit for bit up to FFTW's and pocketfft's summation
/// orders. `float32` runs FFTW's single-precision transform on the float32 windowed frame, about
/// twice as fast; ACCURACY.md states what it costs against every golden.
public enum FFTPrecision: String, Codable, Sendable, CaseIterable {
    case float32, float64
}
