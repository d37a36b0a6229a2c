"""Reference constant-Q goldens (see ../../../docs/features.md §1.7).

Run: python3 make_cqt_goldens.py   (needs librosa==0.11.0, numpy, scipy, soxr==1.1.0)
Writes cqt.json: for each case, the parameters, the full output shape [T, n_bins], a few complete
frames of |C| (or dB), and the maximum and mean of the whole output.

variant 'librosa' is librosa.cqt itself. variant 'nnaudio1992v2' is a numpy re-implementation of
nnAudio 0.3.4's CQT1992v2 formulas (features.md §1.7.4; nnAudio/features/cqt.py and
utils.create_cqt_kernels): torch is not installed here, so the strided conv1d is a float64 matrix
product over the same complex64 kernels, and the sqrt(lengths) scaling is float32 as in nnAudio.
"""
import os

# The committed goldens were made with numpy's AVX2 code paths and OpenBLAS's Haswell kernels; on an
# AVX-512 machine numpy's float32 log10 and OpenBLAS's SkylakeX sgemm round some float32 values
# differently (1 ulp), which would rewrite every golden. Pin them (before numpy is imported).
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL")
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

import json
import sys

import librosa
import numpy as np
import scipy
import scipy.signal
import soxr

import signals


def nnaudio_cqt1992v2(y, sr=22050, hop_length=512, fmin=32.70, n_bins=84, bins_per_octave=12,
                      filter_scale=1, norm=1, window="hann", center=True, pad_mode="reflect"):
    Q = float(filter_scale) / (2 ** (1 / bins_per_octave) - 1)
    freqs = fmin * 2.0 ** (np.r_[0:n_bins] / np.double(bins_per_octave))
    if np.max(freqs) > sr / 2:
        raise ValueError("top bin above Nyquist")
    lengths = np.ceil(Q * sr / freqs)
    K = int(2 ** np.ceil(np.log2(int(max(lengths)))))
    kernels = np.zeros((n_bins, K), dtype=np.complex64)
    for k in range(n_bins):
        l = lengths[k]
        start = int(np.ceil(K / 2.0 - l / 2.0)) - (1 if l % 2 == 1 else 0)
        w = scipy.signal.get_window(window, int(l), fftbins=True)
        sig = w * np.exp(np.r_[-l // 2: l // 2] * 1j * 2 * np.pi * freqs[k] / sr) / l
        kernels[k, start:start + int(l)] = sig / np.linalg.norm(sig, norm) if norm else sig
    x = y.astype(np.float64)
    if center:
        x = np.pad(x, K // 2, mode=pad_mode)       # torch ReflectionPad1d == numpy 'reflect'
    frames = np.lib.stride_tricks.sliding_window_view(x, K)[::hop_length]
    re = frames @ kernels.real.astype(np.float64).T
    im = -(frames @ kernels.imag.astype(np.float64).T)
    scale = np.sqrt(lengths.astype(np.float32))
    re = (re.astype(np.float32) * scale)
    im = (im.astype(np.float32) * scale)
    return np.sqrt(re ** 2 + im ** 2).T              # [n_bins, T]


CASES = [
    # librosa defaults (C1, 84 bins, hop 512) at 22050 Hz: no early downsampling.
    dict(id="default_chirp", signal="chirp", sr=22050, n=22050, params=dict()),
    # librosa defaults at 44.1 kHz: one early downsampling (sr' = 22050).
    dict(id="default44k_noise", signal="noise", sr=44100, n=44100, params=dict()),
    # SPS paper: 44.1 kHz, hop 512, 64 bins from C1: three early downsamplings (sr' = 5512.5).
    dict(id="sps_paper_tone", signal="tone", sr=44100, n=44100, params=dict(n_bins=64)),
    dict(id="sps_paper_chirp", signal="chirp", sr=44100, n=44100, params=dict(n_bins=64)),
    # scale=False with early downsampling: the signal is multiplied by sqrt(2^c) instead.
    dict(id="sps_paper_noscale_chirp", signal="chirp", sr=44100, n=44100, params=dict(n_bins=64, scale=False)),
    # SPS code's settings, but librosa's algorithm: fmin 220, 64 bins.
    dict(id="sps_code_librosa_chirp", signal="chirp", sr=44100, n=44100, params=dict(fmin=220.0, n_bins=64)),
    # Odd hop: no decimation between octaves.
    dict(id="odd_hop_noise", signal="noise", sr=44100, n=22050, params=dict(fmin=220.0, n_bins=48, hop_length=441)),
    dict(id="silence", signal="silence", sr=22050, n=22050, params=dict()),
    # Shorter than the top octave's window: librosa pads and gives 2 frames.
    dict(id="short_noise", signal="noise", sr=22050, n=1000, params=dict()),
    # dB output, ref=max (amplitude_to_db(|C|, ref=np.max), top_db 80).
    dict(id="db_refmax_tone", signal="tone", sr=22050, n=22050, params=dict(output="db", ref="max")),
    # nnAudio CQT1992v2 with SPSMR's settings.
    dict(id="nnaudio_sps_chirp", signal="chirp", sr=44100, n=44100,
         params=dict(variant="nnaudio1992v2", fmin=220.0, n_bins=64)),
    dict(id="nnaudio_sps_noise", signal="noise", sr=44100, n=44100,
         params=dict(variant="nnaudio1992v2", fmin=220.0, n_bins=64)),
    dict(id="nnaudio_default_tone", signal="tone", sr=22050, n=22050, params=dict(variant="nnaudio1992v2")),
    # Beyond the shipped pipelines (issue 6). Reflect padding with a small top-octave n_fft (256 at
    # 16 kHz) and hop 160 >= 128: librosa 0.11's STFT pads only the tail slice, so the last frame of
    # the top octave differs from whole-signal padding (3.0e-3 to 4.0e-3 relative on these clips). `pad_tail: whole` is the
    # whole-signal reference (librosa's own cqt with its STFT fed the np.pad-ed signal).
    dict(id="reflect_tail_16k_hamming_chirp", signal="chirp", sr=16000, n=16000,
         params=dict(hop_length=160, fmin=40.0, n_bins=72, window="hamming", pad_mode="reflect")),
    dict(id="reflect_tail_16k_hamming_tone", signal="tone", sr=16000, n=24000,
         params=dict(hop_length=160, fmin=40.0, n_bins=72, window="hamming", pad_mode="reflect")),
    dict(id="reflect_whole_16k_hamming_chirp", signal="chirp", sr=16000, n=16000,
         params=dict(hop_length=160, fmin=40.0, n_bins=72, window="hamming", pad_mode="reflect", pad_tail="whole")),
    # 24 bins per octave, another rate and hop, reflect padding where the tail is not affected (n % 256 != 0).
    dict(id="bpo24_32k_reflect_chirp", signal="chirp", sr=32000, n=32000,
         params=dict(hop_length=256, fmin=55.0, n_bins=120, bins_per_octave=24, pad_mode="reflect")),
]


def whole_signal_stft(y, *, n_fft, hop_length, window="ones", pad_mode="constant", dtype=None, **kw):
    """librosa.stft with the whole signal padded first (np.pad), as torch and librosa <= 0.9 do."""
    return librosa.stft(np.pad(y, n_fft // 2, mode=pad_mode), n_fft=n_fft, hop_length=hop_length,
                        window=window, center=False, dtype=dtype, **kw)


def run(case):
    y = signals.make(case["signal"], case["n"], case["sr"])
    p = dict(case["params"])
    variant = p.pop("variant", "librosa")
    output = p.pop("output", "magnitude")
    ref = p.pop("ref", 1.0)
    pad_tail = p.pop("pad_tail", "slice")
    if variant == "librosa":
        if pad_tail == "whole":
            original = librosa.core.constantq.stft
            librosa.core.constantq.stft = whole_signal_stft
            try:
                C = np.abs(librosa.cqt(y, sr=case["sr"], **p))
            finally:
                librosa.core.constantq.stft = original
        else:
            C = np.abs(librosa.cqt(y, sr=case["sr"], **p))
    else:
        C = nnaudio_cqt1992v2(y, sr=case["sr"], **p)
    if output == "db":
        C = librosa.amplitude_to_db(C, ref=np.max if ref == "max" else ref)
    X = C.T                                                  # [T, n_bins]
    T = X.shape[0]
    idx = sorted(set(i for i in [0, 1, 2, T // 2, T - 2, T - 1] if 0 <= i < T))
    out = dict(case)
    out["params"] = dict(case["params"])
    out["shape"] = list(X.shape)
    out["frame_indices"] = idx
    out["frames"] = [[float(f"{v:.9g}") for v in X[i]] for i in idx]
    out["max"] = float(X.max())
    out["mean"] = float(X.astype(np.float64).mean())
    return out


def main():
    result = dict(
        reference=dict(librosa=librosa.__version__, numpy=np.__version__, scipy=scipy.__version__,
                       soxr=soxr.__version__, python=sys.version.split()[0],
                       nnaudio="numpy re-implementation of nnAudio 0.3.4 CQT1992v2 (features.md 1.7.4)"),
        cases=[run(c) for c in CASES],
    )
    with open("cqt.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
