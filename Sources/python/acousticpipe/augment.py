"""Batch and spectrogram augmentations, numpy only, equal to the Swift module ``Augment`` given the
same draws (tested from Swift's AugmentTests with Debian's python3).

Every function works on a float32 batch ``x`` of shape ``[B, C, T, F]`` (rows, channels, frames,
bins: a store's feature layout with the row axis in front) and returns a new array. The draws (λ,
permutation, shifts, mask ranges) are arguments, so a training loop can take them from any seeded
generator and record them; ``draw_*`` helpers make them with a ``numpy.random.Generator``.

    import numpy as np, acousticpipe.augment as aug
    rng = np.random.default_rng(seed)
    lam, perm = aug.draw_mixup(len(x), alpha=0.3, rng=rng)
    x, y = aug.mixup(x, y_onehot, lam, perm)
"""

import numpy as np

__all__ = ["freq_mixstyle", "mixup", "freq_shift", "mask", "soft_targets",
           "draw_freq_mixstyle", "draw_mixup", "draw_freq_shift", "draw_mask", "mask_range"]


def _batch(x):
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(f"a batch is [B, C, T, F], got shape {x.shape}")
    return x


def freq_mixstyle(x, lambdas, perm, eps=1e-6):
    """CP-JKU Freq-MixStyle (helpers/utils.py mixstyle) once its gate has passed: statistics per
    row and frequency bin over channels and time, unbiased variance, λ per row, partner perm[i]."""
    x = _batch(x)
    B, C, T, F = x.shape
    if C * T < 2:
        raise ValueError("an unbiased variance needs C*T > 1")
    flat = x.astype(np.float64).transpose(0, 3, 1, 2).reshape(B, F, C * T)
    mu = flat.mean(axis=2).astype(np.float32)                                    # [B, F]
    var = flat.var(axis=2, ddof=1).astype(np.float32)
    sig = np.sqrt(var.astype(np.float64) + eps).astype(np.float32)
    lam = np.asarray(lambdas, dtype=np.float32).reshape(B, 1)
    perm = np.asarray(perm)
    scale = sig * lam + sig[perm] * (np.float32(1) - lam)
    shift = mu * lam + mu[perm] * (np.float32(1) - lam)
    m, s = mu[:, None, None, :], sig[:, None, None, :]
    return ((x - m) / s * scale[:, None, None, :] + shift[:, None, None, :]).astype(np.float32)


def mixup(x, targets, lambdas, perm):
    """x̃ = λx + (1-λ)x[perm], ỹ = λy + (1-λ)y[perm], one λ per row (repeat one value for per-batch mixup)."""
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(targets, dtype=np.float32)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} rows but {len(y)} target rows")
    lam = np.asarray(lambdas, dtype=np.float32)
    perm = np.asarray(perm)
    lx = lam.reshape((-1,) + (1,) * (x.ndim - 1))
    ly = lam.reshape((-1,) + (1,) * (y.ndim - 1))
    return ((x * lx + x[perm] * (np.float32(1) - lx)).astype(np.float32),
            (y * ly + y[perm] * (np.float32(1) - ly)).astype(np.float32))


def soft_targets(labels, classes):
    """One-hot float32 targets; an unlabeled row (-1) cannot be mixed."""
    labels = np.asarray(labels)
    if labels.min(initial=0) < 0 or labels.max(initial=0) >= classes:
        raise ValueError("labels must be class indices in 0..classes-1 (an unlabeled row cannot be mixed)")
    return np.eye(classes, dtype=np.float32)[labels]


def freq_shift(x, shifts, n_last_channels=0):
    """SALSA RandomShiftUpDownNp per row: shift > 0 moves content up, < 0 down, 0 leaves the row;
    the gap is filled by numpy 'reflect'; the last n_last_channels channels are not shifted."""
    x = _batch(x)
    out = x.copy()
    B, C, T, F = x.shape
    n = C - n_last_channels
    for b, s in enumerate(shifts):
        s = int(s)
        if s > 0:
            out[b, :n] = np.pad(x[b, :n], ((0, 0), (0, 0), (s, 0)), mode="reflect")[:, :, :F]
        elif s < 0:
            out[b, :n] = np.pad(x[b, :n], ((0, 0), (0, 0), (0, -s)), mode="reflect")[:, :, -s:]
    return out


def mask_range(u1, u2, mask_param, size):
    """torchaudio mask_along_axis_iid from its two float32 uniforms: (start, width)."""
    value = np.float32(u1) * np.float32(mask_param)
    min_value = np.float32(u2) * (np.float32(size) - value)
    return int(min_value), int(value)


def mask(x, starts, widths, axis="frequency", mask_value=0.0):
    """Per (row, channel), row-major, fill start..start+width along the frequency or time axis."""
    x = _batch(x)
    out = x.copy()
    B, C, T, F = x.shape
    for m, (s, w) in enumerate(zip(starts, widths)):
        b, c = divmod(m, C)
        if axis == "frequency":
            out[b, c, :, max(0, s):min(F, s + w)] = mask_value
        elif axis == "time":
            out[b, c, max(0, s):min(T, s + w), :] = mask_value
        else:
            raise ValueError(f"axis is 'frequency' or 'time', not {axis!r}")
    return out


def draw_freq_mixstyle(rows, p=0.4, alpha=0.3, rng=None):
    """(applied, lambdas, perm): the batch is mixed unless rand > p (one draw per batch)."""
    rng = rng or np.random.default_rng()
    if rng.random() > p:
        return False, None, None
    return True, rng.beta(alpha, alpha, rows).astype(np.float32), rng.permutation(rows)


def draw_mixup(rows, alpha=0.3, rng=None, per_sample=True, max_lambda=True):
    """(lambdas, perm) as CP-JKU: the permutation, then λ per row, λ = max(λ, 1-λ)."""
    rng = rng or np.random.default_rng()
    perm = rng.permutation(rows)
    lam = rng.beta(alpha, alpha, rows if per_sample else 1).astype(np.float32)
    if not per_sample:
        lam = np.repeat(lam, rows)
    if max_lambda:
        lam = np.maximum(lam, np.float32(1) - lam)
    return lam, perm


def draw_freq_shift(rows, freq_shift_range=10, p=0.5, rng=None):
    rng = rng or np.random.default_rng()
    out = []
    for _ in range(rows):
        u, s, up = rng.random(), int(rng.integers(1, freq_shift_range)), rng.integers(2) == 0
        out.append((s if up else -s) if u < p else 0)
    return out


def draw_mask(masks, size, mask_param=48, rng=None):
    """(starts, widths) for `masks` (row, channel) pairs: all value uniforms first, as torchaudio."""
    rng = rng or np.random.default_rng()
    u1 = rng.random(masks, dtype=np.float32)
    u2 = rng.random(masks, dtype=np.float32)
    ranges = [mask_range(a, b, mask_param, size) for a, b in zip(u1, u2)]
    return [r[0] for r in ranges], [r[1] for r in ranges]
