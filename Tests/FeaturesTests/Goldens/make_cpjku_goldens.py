"""Reference goldens for the CP-JKU log-mel front end (`kind: cpjku_mel`), eval mode.

The reference is `AugmentMelSTFT.forward` with `self.training == False` (fschmid56/cpjku_dcase23
`models/mel.py`) and `torchaudio.compliance.kaldi.get_mel_banks`, as docs/features.md §7.3 defines
them. torch/torchaudio are not installed here, so this is a numpy transcription written from those
definitions, step by step, keeping torch's dtypes (everything float32, python scalars weak):

1. pre-emphasis `conv1d(x, [[-0.97, 1]])`, valid: y[n] = -0.97·x[n] + x[n+1] (float32, one sample shorter);
2. `torch.stft(n_fft, hop, win_length, window=torch.hann_window(win_length, periodic=False),
   center=True, pad_mode='reflect', normalized=False)`; the window is built as torch's
   `hamming_window(alpha=0.5, beta=0.5)` builds it in float32 (arange · 2π/(N-1) → cos → ·(-0.5) → +0.5;
   not `np.hanning`, which is up to 2e-7 away and moves quiet bands by up to 7e-5: `np_hanning_effect`)
   and zero-padded to n_fft centred; the DFT is computed in float64 and rounded to complex64 (torch's
   own float32 FFT rounds differently; the spread that causes is measured below as `fft32_spread`);
3. power `re² + im²` in float32;
4. `get_mel_banks(n_mels, n_fft, sr, fmin, fmax, 100, -500, 1.0)` in float32 as torch evaluates it
   (`mel_scale_scalar` in float64 for the two edges, the rest float32 tensors), plus one zero column;
5. `matmul(mel_basis, x)` float32 (sgemm), `log(mel + 1e-5)`, `(x + 4.5) / 5`.
float32 `log` and `cos` are evaluated exactly and rounded once (`log32`); torch's vectorised float32
versions are within 1 ulp of that, numpy's are not always (171 of the 2048 bank arguments differ).

Run: python3 make_cpjku_goldens.py   (numpy, scipy, librosa for the Slaney comparison only)
Writes cpjku.json: per case the parameters, full shape [T, n_mels], frames 0, 2, T/2, T-1 (9
significant digits: exact float32), max and mean of the whole output, and `fft32_spread` (max |diff|
between this reference and the same pipeline with a float32 FFT, i.e. how far a float32-FFT
implementation such as torch's may sit from it). Also a few rows of the Kaldi bank (sparse) and
their difference from librosa's Slaney bank.
"""
import json
import math
import sys

import librosa
import numpy as np
import scipy
import scipy.fft

import signals

F32 = np.float32


def log32(x):
    """float32 natural log, correctly rounded (float64 log, rounded once). numpy's SIMD float32 log is
    not (it differs from it in 171 of the 2048 bank arguments); torch's vectorised log is within 1 ulp.
    Using the exact one keeps the reference independent of either library's approximation."""
    return np.log(np.asarray(x, dtype=np.float64)).astype(F32)

DEFAULTS = dict(sr=32000, n_fft=4096, win_length=3072, hop_length=500, n_mels=256, fmin=0.0, fmax=None,
                fmax_aug_range=1000)

CASES = [
    dict(id="noise_1s", signal="noise", n=32000, params=dict()),
    dict(id="chirp_1s", signal="chirp", n=32000, params=dict()),
    dict(id="silence_1s", signal="silence", n=32000, params=dict()),
    dict(id="chirp_10s", signal="chirp", n=320000, params=dict()),
    # AugmentMelSTFT's own constructor defaults (n_fft 1024, win 800, hop 320, 128 bands,
    # fmax_aug_range 2000 -> fmax 15000), with an explicit fmin, on a tone.
    dict(id="class_defaults_tone_10s", signal="tone", n=320000,
         params=dict(n_fft=1024, win_length=800, hop_length=320, n_mels=128, fmin=20.0, fmax_aug_range=2000)),
]


def resolved(params):
    p = dict(DEFAULTS)
    p.update(params)
    if p["fmax"] is None:
        # AugmentMelSTFT: fmax = sr // 2 - fmax_aug_range // 2 (integer divisions).
        p["fmax"] = p["sr"] // 2 - p["fmax_aug_range"] // 2
    return p


def torch_hann_symmetric(n):
    """torch.hann_window(n, periodic=False) in float32: hamming_window with alpha = beta = 0.5."""
    if n == 1:
        return np.ones(1, dtype=F32)
    w = np.arange(n, dtype=F32) * F32(math.pi * 2.0 / (n - 1))
    cos = np.cos(w.astype(np.float64)).astype(F32)        # exact cos rounded once (see log32)
    return cos * F32(-0.5) + F32(0.5)


def kaldi_mel_scale_scalar(f):
    return 1127.0 * math.log(1.0 + f / 700.0)


def kaldi_get_mel_banks(num_bins, window_length_padded, sample_freq, low_freq, high_freq):
    """get_mel_banks with vtln_warp_factor == 1 (vtln_low/high then play no part), float32 like torch."""
    assert num_bins > 3 and window_length_padded % 2 == 0
    num_fft_bins = window_length_padded // 2
    nyquist = 0.5 * sample_freq
    if high_freq <= 0.0:
        high_freq += nyquist
    assert 0.0 <= low_freq < nyquist and 0.0 < high_freq <= nyquist and low_freq < high_freq
    fft_bin_width = sample_freq / window_length_padded
    mel_low = kaldi_mel_scale_scalar(low_freq)
    mel_high = kaldi_mel_scale_scalar(high_freq)
    delta = (mel_high - mel_low) / (num_bins + 1)
    b = np.arange(num_bins, dtype=F32)[:, None]          # int64 arange promoted to float32 by the float scalar
    left = F32(mel_low) + b * F32(delta)
    center = F32(mel_low) + (b + F32(1.0)) * F32(delta)
    right = F32(mel_low) + (b + F32(2.0)) * F32(delta)
    freq = F32(fft_bin_width) * np.arange(num_fft_bins, dtype=F32)   # arange(2048.0) is float32
    mel = (F32(1127.0) * log32(F32(1.0) + freq / F32(700.0)))[None, :]
    up = (mel - left) / (center - left)
    down = (right - mel) / (right - center)
    bank = np.maximum(F32(0.0), np.minimum(up, down))
    assert bank.dtype == F32
    return np.pad(bank, ((0, 0), (0, 1)))                 # zero column for the Nyquist bin


def cpjku_mel(x, p, fft32=False, window=None):
    x = np.asarray(x, dtype=F32)
    y = F32(-0.97) * x[:-1] + x[1:]                        # conv1d with weight [[-0.97, 1]], valid
    n_fft, hop, wl = p["n_fft"], p["hop_length"], p["win_length"]
    win = np.zeros(n_fft, dtype=F32)
    left = (n_fft - wl) // 2
    win[left:left + wl] = torch_hann_symmetric(wl) if window is None else window(wl)
    ypad = np.pad(y, n_fft // 2, mode="reflect")
    T = 1 + (len(ypad) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(T)[:, None]
    frames = ypad[idx]
    if fft32:
        X = scipy.fft.rfft(frames * win, axis=-1)           # float32 in, complex64 FFT
        assert X.dtype == np.complex64
    else:
        X = np.fft.rfft(frames.astype(np.float64) * win.astype(np.float64), axis=-1).astype(np.complex64)
    re, im = X.real.astype(F32), X.imag.astype(F32)
    P = re * re + im * im                                   # [T, bins] float32
    bank = kaldi_get_mel_banks(p["n_mels"], n_fft, p["sr"], p["fmin"], p["fmax"])
    M = P @ bank.T                                          # float32 sgemm
    L = log32(M + F32(1e-5))
    return (L + F32(4.5)) / F32(5.0), bank


def f9(v):
    return float(f"{float(v):.9g}")


def run(case):
    p = resolved(case["params"])
    x = signals.make(case["signal"], case["n"], p["sr"])
    out, _ = cpjku_mel(x, p)
    out32, _ = cpjku_mel(x, p, fft32=True)
    outh, _ = cpjku_mel(x, p, window=np.hanning)
    T = out.shape[0]
    idx = sorted(set(i for i in [0, 2, T // 2, T - 1] if 0 <= i < T))
    return dict(id=case["id"], signal=case["signal"], sr=p["sr"], n=case["n"], params=case["params"],
                shape=list(out.shape), frame_indices=idx, frames=[[f9(v) for v in out[i]] for i in idx],
                max=float(out.max()), mean=float(out.astype(np.float64).mean()),
                fft32_spread=float(np.abs(out.astype(np.float64) - out32).max()),
                np_hanning_effect=float(np.abs(out.astype(np.float64) - outh).max()))


def bank_summary():
    p = resolved({})
    bank = kaldi_get_mel_banks(p["n_mels"], p["n_fft"], p["sr"], p["fmin"], p["fmax"])
    rows = {}
    for r in [0, 1, 2, 100, 254, 255]:
        nz = np.nonzero(bank[r])[0]
        rows[str(r)] = dict(start=int(nz[0]), values=[f9(v) for v in bank[r, nz[0]:nz[-1] + 1]])
    slaney = librosa.filters.mel(sr=p["sr"], n_fft=p["n_fft"], n_mels=p["n_mels"], fmin=p["fmin"], fmax=p["fmax"])
    win32 = torch_hann_symmetric(p["win_length"]).astype(np.float64)
    return dict(shape=list(bank.shape), sum=float(bank.astype(np.float64).sum()),
                nonzero=int(np.count_nonzero(bank)), rows=rows,
                slaney_max_abs_diff=float(np.abs(bank.astype(np.float64) - slaney).max()),
                torch_window_vs_numpy_hanning=float(np.abs(win32 - np.hanning(p["win_length"])).max()),
                torch_window_samples={str(i): float(win32[i]) for i in [1, 100, 767, 1535, 1536, 2999]})


def main():
    result = dict(
        reference=dict(transcription="numpy, of AugmentMelSTFT eval path + kaldi.get_mel_banks (features.md §7.3)",
                       numpy=np.__version__, scipy=scipy.__version__, librosa=librosa.__version__,
                       python=sys.version.split()[0]),
        cases=[run(c) for c in CASES],
        bank=bank_summary(),
    )
    with open("cpjku.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
