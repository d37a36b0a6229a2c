#pragma once
// Both precisions: double for librosa parity (librosa runs its FFT in float64), single for speed-first paths.
#include <fftw3.h>

// `fftw_version` is an array of unknown size, which Swift does not import.
static inline const char *ap_fftw_version(void) { return fftw_version; }
