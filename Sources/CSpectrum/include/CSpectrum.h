#ifndef ACOUSTICPIPE_CSPECTRUM_H
#define ACOUSTICPIPE_CSPECTRUM_H
#include <stddef.h>

/// The STFT's two per-bin and per-sample loops, in C so that they run on the widest vector unit the
/// CPU has (AVX-512, AVX2, else the x86-64 baseline SSE2 the Swift code is compiled for), chosen once
/// at run time. Every variant does the same IEEE operations in the same order (square roots are
/// correctly rounded in every ISA; no contraction into FMA), so the output bits do not depend on the CPU.

/// `out[k] = |z_k|^2` as numpy computes `np.abs(z.astype(np.complex64)) ** 2`: each float64
/// component rounded to float32, the magnitude as glibc's `hypotf` (the float64 root of the float64
/// sum of squares, rounded once to float32), squared in float32. `z` is `bins` interleaved (re, im) pairs.
void ap_complex64_power(const double *z, float *out, size_t bins);

/// `out[k] = |z_k|` as numpy's complex64 `abs` (the same magnitude, not squared).
void ap_complex64_abs(const double *z, float *out, size_t bins);

/// `out[k] = window[k] * (double)x[k]`: a float32 frame windowed in float64, as numpy multiplies a
/// float64 window with float32 frames.
void ap_window_frame(const double *window, const float *x, double *out, size_t n);

/// The variant in use: 0 baseline, 1 AVX2, 2 AVX-512F.
int ap_spectrum_level(void);

/// For tests: use variant `level` (at most what the CPU has) from now on; returns the one in use.
int ap_spectrum_use_level(int level);

#endif
