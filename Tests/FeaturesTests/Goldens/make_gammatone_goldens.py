"""Reference gammatone goldens (see ../../../docs/features.md §2).

Run: python3 make_gammatone_goldens.py   (needs Gammatone==1.0.3 [detly's package, PyPI fork],
librosa==0.11.0, scipy, numpy)
Writes gammatone.json:
- "weights": rows of `gammatone.fftweight.fft_weights` (Ellis's fft2gammatonemx);
- "cases": spectrograms, time-major [T, nfilts], a few complete frames plus max and mean:
  * ellis framing    = gammatone.fftweight.fft_gtgram (detly's specgram, float64);
  * iir              = gammatone.gtgram.gtgram (Slaney's 4-biquad cascade, rectangular RMS);
  * scipy framing    = SPSMR/mcusi `gammatonegram` + `gtg_in_dB` on int32-scaled input:
                       scipy.signal.spectrogram(density, magnitude) then (1/nfft) W @ S;
  * librosa framing  = (1/nfft) W @ |librosa.stft(center=True)| (the pipeline default).
"""
import json
import sys
from importlib.metadata import version

import gammatone.fftweight as gfw
import gammatone.gtgram as ggt
import librosa
import numpy as np
import scipy
import scipy.signal as sps

import signals


def nfft_for(twin, sr):
    return int(2 ** np.ceil(np.log2(2 * twin * sr)))


def strides(sr, twin, thop):
    nwin, nhop, _ = ggt.gtgram_strides(sr, twin, thop, 0)
    return nwin, nhop


def gtg_in_db(y, log_constant=1e-80, db_threshold=-50.0):
    y = y.copy()
    y[y == 0] = log_constant
    y = 20.0 * np.log10(y)
    y[y < db_threshold] = db_threshold
    return y


def reference(case):
    p = case["params"]
    sr, n = case["sr"], case["n"]
    y = signals.make(case["signal"], n, sr)
    twin, thop, nfilts, fmin = p["twin"], p["thop"], p["nfilts"], p["fmin"]
    nwin, nhop = strides(sr, twin, thop)
    nfft = nfft_for(twin, sr)
    method = p.get("method", "fft")
    framing = p.get("framing", "librosa")
    if method == "iir":
        Y = ggt.gtgram(y.astype(np.float64), sr, twin, thop, nfilts, fmin)
    elif framing == "ellis":
        Y = gfw.fft_gtgram(y.astype(np.float64), sr, twin, thop, nfilts, fmin)
    else:
        W, _ = gfw.fft_weights(nfft, sr, nfilts, 1, fmin, sr / 2, nfft // 2 + 1)
        power = p.get("power", 1)
        if framing == "scipy":
            x = y.astype(np.float64) * p.get("input_scale", 1)
            if p.get("input_scale", 1) == 2 ** 31:
                x = x.astype(np.int32)  # SPSMR's left-justified int32 samples (exact for these signals)
            _, _, S = sps.spectrogram(x, fs=sr, window="hann", nperseg=nwin, noverlap=nwin - nhop, nfft=nfft,
                                      detrend=False, scaling="density", mode="magnitude")
        else:
            S = np.abs(librosa.stft(y, n_fft=nfft, hop_length=nhop, win_length=nwin, center=True))
        Y = (1 / nfft) * np.dot(W, S.astype(np.float64) ** power)
    log = p.get("log", "none")
    if log == "gtg_in_db":
        Y = gtg_in_db(Y)
    elif log == "amplitude_to_db":
        Y = librosa.amplitude_to_db(Y.astype(np.float32))
    return Y.T  # [T, nfilts]


SPS = dict(twin=0.040, thop=0.020, nfilts=64, fmin=20)
CASES = [
    # detly fft_gtgram (Ellis framing), the SPSMR band layout on 1 s; (n - nfft) % nhop != 0 so
    # detly's omitted last frame does not arise.
    dict(id="ellis_sps_noise", signal="noise", sr=44100, n=44100, params=dict(SPS, framing="ellis")),
    dict(id="ellis_16k_chirp", signal="chirp", sr=16000, n=16000,
         params=dict(twin=0.025, thop=0.010, nfilts=64, fmin=50, framing="ellis")),
    # SPSMR: scipy framing, int32 input scale, gtg_in_dB.
    dict(id="spsmr_noise", signal="noise", sr=44100, n=44100,
         params=dict(SPS, framing="scipy", input_scale=2 ** 31, log="gtg_in_db")),
    dict(id="scipy_tone", signal="tone", sr=44100, n=22050, params=dict(SPS, framing="scipy")),
    # The pipeline default: librosa-centred framing, linear and amplitude_to_db.
    dict(id="librosa_chirp", signal="chirp", sr=44100, n=44100, params=dict(SPS)),
    dict(id="librosa_tone_db", signal="tone", sr=44100, n=44100, params=dict(SPS, log="amplitude_to_db")),
    dict(id="librosa_noise_power2", signal="noise", sr=22050, n=22050,
         params=dict(twin=0.025, thop=0.010, nfilts=32, fmin=50, power=2)),
    # Slaney's IIR filterbank (gtgram), short because it is slow in Python.
    dict(id="iir_chirp", signal="chirp", sr=16000, n=8000,
         params=dict(twin=0.025, thop=0.010, nfilts=32, fmin=50, method="iir")),
    dict(id="iir_tone", signal="tone", sr=22050, n=11025,
         params=dict(twin=0.025, thop=0.010, nfilts=64, fmin=20, method="iir")),
]

WEIGHTS = [
    dict(id="sps_4096", sr=44100, nfft=4096, nfilts=64, width=1.0, fmin=20.0, fmax=22050.0, rows=[0, 21, 42, 63]),
    dict(id="ellis_16k_512", sr=16000, nfft=512, nfilts=64, width=1.0, fmin=50.0, fmax=8000.0, rows=[0, 16, 32, 48, 63]),
    dict(id="width_half", sr=16000, nfft=1024, nfilts=40, width=0.5, fmin=100.0, fmax=6000.0, rows=[0, 20, 39]),
]


def g(v):
    return float("%.9g" % v)


def run(case):
    L = reference(case)
    T = L.shape[0]
    idx = sorted(set(i for i in [0, 1, 2, T // 2, T - 2, T - 1] if 0 <= i < T))
    out = dict(case)
    out["params"] = dict(case["params"])
    out["shape"] = list(L.shape)
    out["frame_indices"] = idx
    out["frames"] = [[g(v) for v in L[i]] for i in idx]
    out["max"] = float(L.max())
    out["mean"] = float(L.astype(np.float64).mean())
    return out


def weights(w):
    W, _ = gfw.fft_weights(w["nfft"], w["sr"], w["nfilts"], w["width"], w["fmin"], w["fmax"], w["nfft"] // 2 + 1)
    cf = gfw.filters.erb_space(w["fmin"], w["fmax"], w["nfilts"])[::-1]
    out = dict(w)
    out["centre_frequencies"] = [float(v) for v in cf]
    out["values"] = [[g(v) for v in W[r]] for r in w["rows"]]
    out["row_sums"] = [float(v) for v in W.sum(axis=1)]
    return out


def main():
    result = dict(
        reference={"Gammatone": version("Gammatone"), "librosa": librosa.__version__, "numpy": np.__version__,
                   "scipy": scipy.__version__, "python": sys.version.split()[0]},
        weights=[weights(w) for w in WEIGHTS],
        cases=[run(c) for c in CASES],
    )
    with open("gammatone.json", "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
