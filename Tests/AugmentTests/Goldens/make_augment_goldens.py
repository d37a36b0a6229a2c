"""Goldens for Tests/AugmentTests: the references of features.md §6-§9 run on small inputs.

Each case stores its inputs (so the Swift test needs no matching signal generator), the draws the
reference was given (λ, permutation, shifts, mask uniforms) and the reference's output.
Run with the pyenv python3 (numpy 2.4, scipy 1.17):  python3 make_augment_goldens.py
"""
import json
import platform

import numpy as np
import scipy
import scipy.signal

rng = np.random.default_rng(20261201)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def tolist(a):
    """float32 values to 9 significant digits: enough to read back every float32 bit-exactly."""
    return [float("%.9g" % v) for v in np.asarray(a, dtype=np.float64).ravel()]


def synthetic_ir(n, peak_at, decay, seed):
    """A MicIRP-shaped response: a short onset, an exponentially decaying noise tail, peak-normalised."""
    r = np.random.default_rng(seed)
    t = np.arange(n)
    h = r.standard_normal(n) * np.exp(-t / decay)
    h[:peak_at] *= np.linspace(0, 1, peak_at, endpoint=False)
    h[peak_at] = 3.0 * np.abs(h).max()
    return f32(h / np.abs(h).max())


# --- DIR: scipy.signal.convolve(x, h, 'full')[:len(x)], float32 in and out (CP-JKU dcase23.py) ---
dir_cases = []
x = f32(0.3 * rng.standard_normal(3000))
bank = [synthetic_ir(1190, 3, 180.0, 1), synthetic_ir(1000, 40, 260.0, 2), synthetic_ir(700, 116, 90.0, 3)]
for i, h in enumerate(bank):
    y = scipy.signal.convolve(x[None, :], h[None, :], "full")[:, : x.shape[0]]
    assert y.dtype == np.float32
    dir_cases.append({"index": i, "y": tolist(y)})
dir_golden = {"x": tolist(x), "bank": [tolist(h) for h in bank], "cases": dir_cases}

# --- Freq-MixStyle: numpy port of helpers/utils.py mixstyle, torch layout [B, C, F, T] ---
def mixstyle_np(x, lam, perm, eps=1e-6):
    mu = x.mean(axis=(1, 3), keepdims=True)
    var = x.var(axis=(1, 3), keepdims=True, ddof=1)
    sig = np.sqrt(var + np.float32(eps)).astype(np.float32)
    x_n = (x - mu) / sig
    lam = lam.reshape(-1, 1, 1, 1)
    return (x_n * (sig * lam + sig[perm] * (1 - lam)) + (mu * lam + mu[perm] * (1 - lam))).astype(np.float32)


B, C, T, F = 5, 2, 7, 6
xm = f32(rng.standard_normal((B, C, T, F)) * 3 - 4)         # our layout [B, C, T, F]
lam = f32(rng.beta(0.3, 0.3, B))
perm = np.array([2, 0, 1, 4, 3])                              # 3 <-> 4, a 3-cycle; none fixed
perm2 = np.array([0, 3, 2, 1, 4])                             # i -> i allowed
mix_cases = []
for p in (perm, perm2):
    torch_layout = np.transpose(xm, (0, 1, 3, 2))             # [B, C, F, T] as the reference
    out = np.transpose(mixstyle_np(torch_layout, lam, p), (0, 1, 3, 2))
    mix_cases.append({"perm": p.tolist(), "y": tolist(out)})
mixstyle_golden = {"shape": [B, C, T, F], "x": tolist(xm), "lambdas": tolist(lam), "cases": mix_cases}

# --- mixup: CP-JKU helpers/utils.py mixup, per-sample λ = max(λ, 1-λ), soft targets ---
Bm, K = 4, 3
xu = f32(rng.standard_normal((Bm, 1, 3, 5)))
yu = np.eye(K, dtype=np.float32)[[0, 2, 1, 2]]
lam_u = f32(rng.beta(0.3, 0.3, Bm))
lam_u = np.concatenate([lam_u[:, None], 1 - lam_u[:, None]], 1).max(1).astype(np.float32)
perm_u = np.array([3, 2, 0, 1])
l4 = lam_u.reshape(Bm, 1, 1, 1)
x_mix = (xu * l4 + xu[perm_u] * (1.0 - l4)).astype(np.float32)
y_mix = (yu * lam_u[:, None] + yu[perm_u] * (1.0 - lam_u[:, None])).astype(np.float32)
mixup_golden = {"shape": list(xu.shape), "x": tolist(xu), "targets": tolist(yu), "classes": K,
                "lambdas": tolist(lam_u), "perm": perm_u.tolist(), "x_mixed": tolist(x_mix), "targets_mixed": tolist(y_mix)}

# --- frequency shift: SALSA RandomShiftUpDownNp on [C, T, F] (numpy reflect) ---
Cs, Ts, Fs = 3, 4, 12
xs = f32(rng.standard_normal((2, Cs, Ts, Fs)))
shift_cases = []
for shifts, n_last in (([3, -4], 0), ([9, -11], 0), ([5, -1], 1)):
    out = xs.copy()
    for b, s in enumerate(shifts):
        n_shift = Cs - n_last
        if s > 0:
            out[b, :n_shift] = np.pad(xs[b, :n_shift], ((0, 0), (0, 0), (s, 0)), mode="reflect")[:, :, :Fs]
        else:
            out[b, :n_shift] = np.pad(xs[b, :n_shift], ((0, 0), (0, 0), (0, -s)), mode="reflect")[:, :, -s:]
    shift_cases.append({"shifts": shifts, "n_last_channels": n_last, "y": tolist(out)})
shift_golden = {"shape": list(xs.shape), "x": tolist(xs), "cases": shift_cases}

# --- masking: torchaudio 2.x mask_along_axis_iid in float32, from its two uniforms per (row, channel) ---
def mask_range(u1, u2, mask_param, size):
    value = np.float32(u1) * np.float32(mask_param)
    min_value = np.float32(u2) * (np.float32(size) - value)
    start = int(min_value)                    # .long() truncates; both are >= 0
    return start, start + int(value)


Bk, Ck, Tk, Fk = 2, 2, 5, 64
xk = f32(rng.standard_normal((Bk, Ck, Tk, Fk)))
mask_cases = []
for axis, param in (("frequency", 48), ("time", 3)):
    size = Fk if axis == "frequency" else Tk
    u1 = f32(rng.random(Bk * Ck))
    u2 = f32(rng.random(Bk * Ck))
    out = xk.copy()
    ranges = []
    for m in range(Bk * Ck):
        b, c = divmod(m, Ck)
        s, e = mask_range(u1[m], u2[m], param, size)
        ranges.append([s, e])
        if axis == "frequency":
            out[b, c, :, s:e] = 0
        else:
            out[b, c, s:e, :] = 0
    mask_cases.append({"axis": axis, "mask_param": param, "u1": tolist(u1), "u2": tolist(u2), "ranges": ranges, "y": tolist(out)})
# The edge: u1 just below 1 gives the widest mask the formula allows.
edge = [[float(np.float32(0.99999994)), 0.0], [float(np.float32(0.5)), float(np.float32(0.99999994))]]
edges = [{"u1": u1, "u2": u2, "range": list(mask_range(u1, u2, 48, 64))} for u1, u2 in edge]
mask_golden = {"shape": list(xk.shape), "x": tolist(xk), "cases": mask_cases, "edges": edges}

golden = {
    "reference": {"numpy": np.__version__, "scipy": scipy.__version__, "python": platform.python_version(),
                  "script": "make_augment_goldens.py"},
    "dir": dir_golden, "mixstyle": mixstyle_golden, "mixup": mixup_golden,
    "freq_shift": shift_golden, "mask": mask_golden,
}
with open("augment.json", "w") as f:
    json.dump(golden, f, separators=(",", ":"))
print("augment.json written")
