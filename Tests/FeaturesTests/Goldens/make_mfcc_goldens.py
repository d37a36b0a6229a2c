"""Reference MFCC goldens from librosa (see ../../../docs/features.md §1.6).

Run: python3 make_mfcc_goldens.py   (needs librosa==0.11.0, numpy, scipy, soxr)
Writes mfcc.json: for each case, the parameters, the full output shape ([T, F], F = n_mfcc times
1 + delta_order), a few complete frames (edges, where deltas switch to the polynomial fit, middle,
last), c_0 of every frame, the maximum and mean of the whole output, and how far librosa's float32 DCT is from a
float64 DCT of the same log-mel (the floor any float32 implementation can be held to).
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
import scipy.fft
import soxr

import signals

SPS_PAPER = dict(n_fft=2048, hop_length=512, n_mels=40, n_mfcc=40)      # 44.1 kHz, as the paper states
SPS_CODE = dict(hop_length=512, n_mfcc=40)                              # librosa.load default 22050 Hz, 128 mels
ASCMAMBA = dict(n_fft=2048, win_length=1764, hop_length=882, n_mels=64, n_mfcc=20)

CASES = [
    dict(id="default_tone", signal="tone", sr=22050, n=22050, params=dict()),
    dict(id="sps_paper_noise", signal="noise", sr=44100, n=44100, params=SPS_PAPER),
    dict(id="sps_paper_silence", signal="silence", sr=44100, n=44100, params=SPS_PAPER),
    dict(id="sps_code_chirp", signal="chirp", sr=22050, n=22050, params=SPS_CODE),
    dict(id="ascmamba_chirp", signal="chirp", sr=44100, n=44100, params=ASCMAMBA),
    # Shorter than one window (n_fft 1024 > 1000 samples): librosa pads and gives 2 frames.
    dict(id="short_noise", signal="noise", sr=16000, n=1000, params=dict(n_fft=1024, hop_length=512, n_mfcc=13)),
    # Lifter, deltas of order 1 and 2, no mel norm, HTK scale.
    dict(id="lifter_deltas_noise", signal="noise", sr=22050, n=22050,
         params=dict(n_mfcc=13, lifter=22, delta_order=2)),
    dict(id="htk_melnorm_none_chirp", signal="chirp", sr=16000, n=16000,
         params=dict(n_fft=512, hop_length=160, n_mels=40, n_mfcc=20, htk=True, mel_norm=None)),
    # Beyond the shipped pipelines (issue 6): quiet clips (params `gain` scales the float32 signal) give
    # log-mels far below 0 dB and so a large |c_0|, where one float32 sgemm for the DCT accumulated
    # up to 1.5e-3 of error. A speech-style 16 kHz front end (n_fft 400, hop 160, 40 HTK mels,
    # 13 coefficients) with scipy's unnormalised DCT (`norm: null`, c_0 = 2·sum, |c_0| ~ 5500-7700),
    # and with the ortho DCT but no mel norm; 22.05 kHz with 96 Slaney mels; 48 kHz, hop 480, lifter.
    # (96 mels with the unnormalised DCT is left out: |c_0| ~ 3400 and more, and librosa's own
    # float32 DCT is 9.5e-4 from a float64 one there, so no implementation can be held to 1e-3 of it.)
    dict(id="speech16k_dct_none_quiet_noise", signal="noise", sr=16000, n=16000, 
         params=dict(gain=1e-4, n_fft=400, hop_length=160, n_mels=40, htk=True, n_mfcc=13, norm=None, delta_order=2)),
    dict(id="speech16k_dct_none_quiet_chirp", signal="chirp", sr=16000, n=16000, 
         params=dict(gain=1e-2, n_fft=400, hop_length=160, n_mels=40, htk=True, n_mfcc=13, norm=None)),
    dict(id="speech16k_melnorm_none_chirp", signal="chirp", sr=16000, n=16000,
         params=dict(n_fft=400, hop_length=160, n_mels=40, htk=True, n_mfcc=13, mel_norm=None, delta_order=1)),
    dict(id="mels96_22k_quiet_chirp", signal="chirp", sr=22050, n=22050, 
         params=dict(gain=1e-3, n_mels=96, delta_order=1)),
    dict(id="mels96_22k_quiet_tone", signal="tone", sr=22050, n=22050, params=dict(gain=1e-3, n_mels=96, n_mfcc=30)),
    dict(id="rate48k_hop480_noise", signal="noise", sr=48000, n=24000,
         params=dict(n_fft=1024, hop_length=480, n_mels=128, n_mfcc=40, lifter=22)),
]


def run(case):
    p = dict(case["params"])
    y = signals.make(case["signal"], case["n"], case["sr"], p.pop("gain", None))
    delta_order = p.pop("delta_order", 0)
    M = librosa.feature.mfcc(y=y, sr=case["sr"], **p)                 # [n_mfcc, T]
    parts = [M] + [librosa.feature.delta(M, order=o) for o in range(1, delta_order + 1)]
    X = np.concatenate(parts, axis=0).T                                  # [T, F]

    # float64 DCT of the same float32 log-mel: what a perfect implementation would give.
    p_mel = {k: v for k, v in p.items() if k not in ("n_mfcc", "lifter", "mel_norm", "norm")}
    S = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=case["sr"], norm=p.get("mel_norm", "slaney"), **p_mel))
    M64 = scipy.fft.dct(S.astype(np.float64), axis=-2, type=2, norm=p.get("norm", "ortho"))[: M.shape[0]]
    if p.get("lifter", 0) > 0:
        k = np.arange(1, 1 + M.shape[0], dtype=np.float64)
        M64 *= (1 + (p["lifter"] / 2) * np.sin(np.pi * k / p["lifter"]))[:, None]

    T = X.shape[0]
    idx = sorted(set(i for i in [0, 1, 2, 3, 4, T // 2, T - 2, T - 1] if 0 <= i < T))
    out = dict(case)
    out["params"] = dict(case["params"])
    out["shape"] = list(X.shape)
    out["frame_indices"] = idx
    out["frames"] = [[float(f"{v:.9g}") for v in X[i]] for i in idx]
    out["max"] = float(X.max())
    out["mean"] = float(X.astype(np.float64).mean())
    out["float32_dct_vs_float64_max_abs"] = float(np.abs(M.astype(np.float64) - M64).max())
    # c_0 of every frame: the coefficient whose float32 accumulation error is largest (|c_0| is the
    # largest value), checked over the whole clip, not only the frames above.
    out["c0"] = [float(f"{v:.9g}") for v in X[:, 0]]
    return out


def main():
    result = dict(
        reference=dict(librosa=librosa.__version__, numpy=np.__version__, scipy=scipy.__version__,
                       soxr=soxr.__version__, python=sys.version.split()[0]),
        cases=[run(c) for c in CASES],
    )
    with open("mfcc.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
