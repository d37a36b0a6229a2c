"""Reference log-mel goldens from librosa (see ../../../docs/features.md §1.2-1.5).

Run: python3 make_logmel_goldens.py   (needs librosa==0.11.0, numpy, soxr)
Writes logmel.json: for each case, the parameters, the full output shape, a few complete frames
(first, edge, middle, last), and the maximum and mean of the whole output. `pad_tail: whole` in a
case's params means the reference pads the whole signal (np.pad) instead of librosa's tail slice.
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
import soxr

import signals

CASES = [
    # ASCMamba (seed 000): 44.1 kHz, n_fft 2048, 40 ms Hann, 20 ms hop, 64 bands.
    dict(id="ascmamba_noise", signal="noise", sr=44100, n=44100, params=dict(n_fft=2048, win_length=1764, hop_length=882, n_mels=64)),
    dict(id="ascmamba_chirp", signal="chirp", sr=44100, n=44100, params=dict(n_fft=2048, win_length=1764, hop_length=882, n_mels=64)),
    dict(id="ascmamba_silence", signal="silence", sr=44100, n=44100, params=dict(n_fft=2048, win_length=1764, hop_length=882, n_mels=64)),
    # librosa's defaults at 22050 Hz.
    dict(id="default_tone", signal="tone", sr=22050, n=22050, params=dict()),
    # SPS log-mel 40 (seed 004).
    dict(id="sps40_tone", signal="tone", sr=44100, n=44100, params=dict(n_fft=2048, hop_length=512, n_mels=40)),
    # Shorter than one window.
    dict(id="short_noise", signal="noise", sr=16000, n=1000, params=dict(n_fft=1024, hop_length=512, n_mels=128)),
    # torchaudio-like options: HTK scale, no norm, reflect padding, no top_db.
    dict(id="htk_reflect_chirp", signal="chirp", sr=16000, n=16000,
         params=dict(n_fft=1024, hop_length=512, n_mels=128, htk=True, norm=None, pad_mode="reflect", top_db=None)),
    # Beyond the shipped pipelines (issue 6). Reflect padding with hop >= n_fft/2 and a length that is
    # a multiple of hop: librosa 0.11 pads only the tail slice, so the last frame differs from padding
    # the whole signal (features.md §1.2). A Hamming window (last sample 0.08, not Hann's ~4e-5) makes
    # that frame's difference visible (~0.1 dB). `pad_tail: whole` cases are the whole-signal
    # reference (np.pad, then center=False), what torch.stft and librosa <= 0.9 give.
    dict(id="reflect_tail_16k_hamming_noise", signal="noise", sr=16000, n=16000,
         params=dict(n_fft=400, hop_length=200, window="hamming", n_mels=40, pad_mode="reflect")),
    dict(id="reflect_whole_16k_hamming_noise", signal="noise", sr=16000, n=16000,
         params=dict(n_fft=400, hop_length=200, window="hamming", n_mels=40, pad_mode="reflect", pad_tail="whole")),
    dict(id="reflect_tail_22k_halfhop_htk_chirp", signal="chirp", sr=22050, n=22016,
         params=dict(n_fft=1024, hop_length=512, window="hamming", n_mels=80, htk=True, pad_mode="reflect")),
    # Other rates, band counts, hops and a band-limited filterbank without norm (constant padding).
    dict(id="rate48k_hop480_band_nonorm_tone", signal="tone", sr=48000, n=24000,
         params=dict(n_fft=1024, hop_length=480, n_mels=96, fmin=50.0, fmax=14000.0, norm=None)),
    dict(id="rate8k_256_hop80_noise", signal="noise", sr=8000, n=8000, params=dict(n_fft=256, hop_length=80, n_mels=32)),
]


def run(case):
    y = signals.make(case["signal"], case["n"], case["sr"])
    p = dict(case["params"])
    top_db = p.pop("top_db", 80.0)
    if p.pop("pad_tail", "slice") == "whole":
        # Whole-signal padding: np.pad first, then frames without librosa's own centring.
        n_fft = p["n_fft"]
        yp = np.pad(y, n_fft // 2, mode=p.pop("pad_mode"))
        D = librosa.stft(yp, n_fft=n_fft, hop_length=p["hop_length"], win_length=p.get("win_length"),
                         window=p.get("window", "hann"), center=False)
        mel = {k: v for k, v in p.items() if k not in ("hop_length", "win_length", "window")}
        S = librosa.feature.melspectrogram(S=np.abs(D) ** 2, sr=case["sr"], **mel)
    else:
        S = librosa.feature.melspectrogram(y=y, sr=case["sr"], **p)
    L = librosa.power_to_db(S, top_db=top_db).T  # [T, F]
    T = L.shape[0]
    idx = sorted(set(i for i in [0, 1, 2, T // 2, T - 2, T - 1] if 0 <= i < T))
    out = dict(case)
    out["params"] = dict(case["params"])
    out["shape"] = list(L.shape)
    out["frame_indices"] = idx
    out["frames"] = [[float(v) for v in L[i]] for i in idx]
    out["max"] = float(L.max())
    out["mean"] = float(L.astype(np.float64).mean())
    return out


def main():
    result = dict(
        reference=dict(librosa=librosa.__version__, numpy=np.__version__, scipy=scipy.__version__, soxr=soxr.__version__,
                       python=sys.version.split()[0]),
        cases=[run(c) for c in CASES],
    )
    with open("logmel.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
