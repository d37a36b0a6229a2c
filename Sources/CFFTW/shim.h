#pragma once
// Both precisions: double for librosa parity (librosa runs its FFT in float64), single for speed-first paths.
#include <fftw3.h>
