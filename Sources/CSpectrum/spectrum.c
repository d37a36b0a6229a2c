#include "CSpectrum.h"
#include <math.h>

// One body per kernel, compiled three times (for the baseline, AVX2 and AVX-512); the dispatcher
// below picks one per process. The bodies are plain loops that clang vectorises.
#define POWER_BODY                                                                        \
    for (size_t k = 0; k < bins; k++) {                                                   \
        double re = (double)(float)z[2 * k], im = (double)(float)z[2 * k + 1];            \
        float h = (float)sqrt(re * re + im * im);                                         \
        out[k] = h * h;                                                                   \
    }
#define ABS_BODY                                                                          \
    for (size_t k = 0; k < bins; k++) {                                                   \
        double re = (double)(float)z[2 * k], im = (double)(float)z[2 * k + 1];            \
        out[k] = (float)sqrt(re * re + im * im);                                          \
    }
#define WINDOW_BODY                                                                       \
    for (size_t k = 0; k < n; k++) out[k] = window[k] * (double)x[k];

#define VARIANTS(name, params, body)                                                      \
    static void name##_base params { body }                                              \
    __attribute__((target("avx2"))) static void name##_avx2 params { body }              \
    __attribute__((target("avx512f"))) static void name##_avx512 params { body }

VARIANTS(power, (const double *restrict z, float *restrict out, size_t bins), POWER_BODY)
VARIANTS(absolute, (const double *restrict z, float *restrict out, size_t bins), ABS_BODY)
VARIANTS(window, (const double *restrict window, const float *restrict x, double *restrict out, size_t n), WINDOW_BODY)

/// 0 baseline, 1 AVX2, 2 AVX-512F; decided on first use (a benign race: every thread computes the same value).
static int cached = -1;

int ap_spectrum_level(void);

static int level(void) {
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return cached;
}

void ap_complex64_power(const double *z, float *out, size_t bins) {
    switch (level()) {
    case 2: power_avx512(z, out, bins); break;
    case 1: power_avx2(z, out, bins); break;
    default: power_base(z, out, bins);
    }
}

void ap_complex64_abs(const double *z, float *out, size_t bins) {
    switch (level()) {
    case 2: absolute_avx512(z, out, bins); break;
    case 1: absolute_avx2(z, out, bins); break;
    default: absolute_base(z, out, bins);
    }
}

void ap_window_frame(const double *window, const float *x, double *out, size_t n) {
    switch (level()) {
    case 2: window_avx512(window, x, out, n); break;
    case 1: window_avx2(window, x, out, n); break;
    default: window_base(window, x, out, n);
    }
}

int ap_spectrum_level(void) { return level(); }

int ap_spectrum_use_level(int wanted) {
    int best = (cached = -1, level());
    cached = wanted < best ? wanted : best;
    return cached;
}
