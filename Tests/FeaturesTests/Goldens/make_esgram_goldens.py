"""ESgram / TriStat-Gating goldens (see ../../../docs/features.md §5 and docs/accuracy-b.md).

ESTM's code is not public, so the reference is a numpy implementation of the definition chosen
here (seed 002, Eq. 1-2):
    s_t    = median_m(x[t]) + sqrt(mean_m(x[t]^2)) + var_m(x[t], ddof)
    gate_t = 1 / (1 + exp(-alpha (s_t - mu))),  mu = mean_t(s_t) ('clip') or a fixed value
    out    = gate[:, None] * x_logmel
with x the Sgram (STgram-MFN's torchaudio log-mel, reproduced with librosa: HTK mel, no norm,
reflect padding, 10*log10(max(S, 1e-10)), no top_db) or, for stats_domain 'linear', the mel power.
median 'numpy' = np.median; 'torch' = lower middle value (torch.median).

Run: python3 make_esgram_goldens.py   (needs librosa==0.11.0, numpy)
"""
import json
import sys

import librosa
import numpy as np

import signals


def sgram_power(y, sr):
    return librosa.feature.melspectrogram(y=y, sr=sr, n_fft=1024, hop_length=512, n_mels=128, htk=True,
                                          norm=None, pad_mode="reflect").T  # [T, 128] float32


def stats(x, median, ddof):
    x = x.astype(np.float64)
    if median == "numpy":
        med = np.median(x, axis=1)
    else:
        med = np.sort(x, axis=1)[:, (x.shape[1] - 1) // 2]
    rms = np.sqrt(np.mean(x ** 2, axis=1))
    var = np.var(x, axis=1, ddof=ddof)
    return med + rms + var


def esgram(y, sr, alpha=2.0, median="numpy", ddof=0, mu="clip", mu_value=0.0, stats_domain="log"):
    P = sgram_power(y, sr)
    L = 10.0 * np.log10(np.maximum(P, np.float32(1e-10)))
    s = stats(L if stats_domain == "log" else P, median, ddof)
    centre = s.mean() if mu == "clip" else mu_value
    with np.errstate(over="ignore"):  # exp overflow is sigmoid's 0, as intended
        gate = 1.0 / (1.0 + np.exp(-alpha * (s - centre)))
    return gate[:, None] * L.astype(np.float64), gate, s


CASES = [
    dict(id="default_noise", signal="noise", sr=16000, n=32000, params=dict()),
    dict(id="default_chirp", signal="chirp", sr=16000, n=32000, params=dict()),
    dict(id="torch_ddof1_tone", signal="tone", sr=16000, n=32000, params=dict(median="torch", ddof=1)),
    dict(id="linear_alpha05_chirp", signal="chirp", sr=16000, n=32000,
         params=dict(stats_domain="linear", alpha=0.5)),
    dict(id="fixed_mu_noise", signal="noise", sr=16000, n=16000, params=dict(mu="fixed", mu_value=150.0, alpha=0.05)),
]


def g(v):
    return float("%.9g" % v)


def run(case):
    y = signals.make(case["signal"], case["n"], case["sr"])
    E, gate, s = esgram(y, case["sr"], **case["params"])
    T = E.shape[0]
    idx = sorted(set(i for i in [0, 1, 2, T // 2, T - 2, T - 1] if 0 <= i < T))
    out = dict(case)
    out["shape"] = list(E.shape)
    out["frame_indices"] = idx
    out["frames"] = [[g(v) for v in E[i]] for i in idx]
    out["gates"] = [float(v) for v in gate]
    out["stats"] = [float(v) for v in s]
    out["max"] = float(E.max())
    out["mean"] = float(E.mean())
    return out


def main():
    result = dict(reference={"librosa": librosa.__version__, "numpy": np.__version__, "python": sys.version.split()[0],
                             "definition": "ESTM Eq. 1-2, numpy implementation of the documented choices"},
                  cases=[run(c) for c in CASES])
    with open("esgram.json", "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
