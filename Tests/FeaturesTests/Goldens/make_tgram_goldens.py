"""Tgram goldens (see ../../../docs/features.md §4): STgram-MFN's first layer
`Conv1d(1, out, kernel_size=win_len, stride=hop_len, padding=win_len//2, bias=False)`.

torch is not installed here, so the reference is the Conv1d definition written in numpy (float64):
`y[o, t] = sum_k W[o, k] * xpad[t*hop + k]` over the zero-padded signal (a cross-correlation, no
kernel flip). features.md §4 checked this formula against torch.nn.Conv1d (max diff 1.8e-7).

Run: python3 make_tgram_goldens.py   (needs numpy)
Writes tgram.json, tgram_weights.npy ([8, 1024] float32, C order) and npy_fortran_f8.npy
([3, 5] float64, Fortran order: tests the reader's transposition).
"""
import json
import sys

import numpy as np

import signals


def frames_of(x, win, hop, pad):
    xpad = np.pad(x.astype(np.float64), (pad, pad))
    T = 1 + (len(xpad) - win) // hop
    return np.stack([xpad[t * hop: t * hop + win] for t in range(T)])  # [T, win]


def conv1d(x, W, hop, pad):
    return frames_of(x, W.shape[1], hop, pad) @ W.astype(np.float64).T  # [T, out]


def g(v):
    return float("%.9g" % v)


def case(id, signal, sr, n, params, L):
    T = L.shape[0]
    idx = sorted(set(i for i in [0, 1, T // 2, T - 1] if 0 <= i < T))
    return dict(id=id, signal=signal, sr=sr, n=n, params=params, shape=list(L.shape), frame_indices=idx,
                frames=[[g(v) for v in L[i]] for i in idx], max=float(L.max()), mean=float(L.mean()))


def main():
    W = (signals.noise(8 * 1024, seed=21).reshape(8, 1024) * np.float32(0.1)).astype(np.float32)
    np.save("tgram_weights.npy", W)
    F = np.asfortranarray(np.arange(15, dtype=np.float64).reshape(3, 5) / 7.0)
    np.save("npy_fortran_f8.npy", F)

    cases = []
    x = signals.make("chirp", 16000, 16000)
    cases.append(case("frames_chirp", "chirp", 16000, 16000, dict(win_length=1024, hop_length=512),
                      frames_of(x, 1024, 512, 512)))
    x = signals.make("noise", 5000, 16000)
    cases.append(case("projection_noise", "noise", 16000, 5000,
                      dict(win_length=1024, hop_length=512, weights="tgram_weights.npy"), conv1d(x, W, 512, 512)))
    x = signals.make("tone", 3000, 16000)
    cases.append(case("projection_small_tone", "tone", 16000, 3000,
                      dict(win_length=1024, hop_length=256, weights="tgram_weights.npy"), conv1d(x, W, 256, 512)))
    result = dict(reference={"numpy": np.__version__, "python": sys.version.split()[0],
                             "definition": "torch.nn.Conv1d(1, out, win_len, hop_len, win_len//2, bias=False)"},
                  fortran_f8=[[float(v) for v in row] for row in F],
                  cases=cases)
    with open("tgram.json", "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
