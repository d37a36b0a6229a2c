"""The references of `pipe bench`'s augmentation table, timed on the same shapes, one core:
scipy.signal.convolve(x, h, 'full')[:, :n] as CP-JKU's DIR (float32, 1-s 32 kHz clip, 66
responses of 11,900 samples), the FOA transform #13 in numpy on a 10-s 24 kHz 4-channel clip, and
numpy ports of CP-JKU's Freq-MixStyle and mixup on a batch of 256 x [1, 64, 256] (store layout).
Run: OPENBLAS_NUM_THREADS=1 python3 Tests/Bench/python_augment.py
"""
import time

import numpy as np
import scipy
import scipy.signal


def timed(fn, repeats=20):
    fn()
    t = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - t) / repeats * 1e3


rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, (1, 32000)).astype(np.float32)
bank = []
for i in range(66):
    h = (rng.uniform(-1, 1, 11900) * np.exp(-np.arange(11900) / 1500)).astype(np.float32)
    bank.append((h / np.abs(h).max())[None, :])
k = [0]


def dir_once():
    h = bank[k[0] % 66]
    k[0] += 1
    return scipy.signal.convolve(x, h, "full")[:, : x.shape[1]]


foa = rng.uniform(-1, 1, (4, 240000)).astype(np.float32)


def swap13():  # (x', y', z') = (-y, x, -z): new (W, Y, Z, X) = (W, X, -Z, -Y)
    return np.stack([foa[0], foa[3], -foa[2], -foa[1]])


B, C, T, F = 256, 1, 64, 256
xb = rng.uniform(-1, 1, (B, C, T, F)).astype(np.float32)
lam = rng.beta(0.3, 0.3, B).astype(np.float32)
perm = rng.permutation(B)
y = np.eye(10, dtype=np.float32)[np.arange(B) % 10]


def mixstyle():
    mu = xb.mean(axis=(1, 2), keepdims=True)
    var = xb.var(axis=(1, 2), keepdims=True, ddof=1)
    sig = np.sqrt(var + np.float32(1e-6))
    x_n = (xb - mu) / sig
    l4 = lam.reshape(B, 1, 1, 1)
    return x_n * (sig * l4 + sig[perm] * (1 - l4)) + (mu * l4 + mu[perm] * (1 - l4))


def mixup():
    l4 = lam.reshape(B, 1, 1, 1)
    return xb * l4 + xb[perm] * (1 - l4), y * lam[:, None] + y[perm] * (1 - lam[:, None])


print(f"references (numpy {np.__version__}, scipy {scipy.__version__}), ms, one core:")
print(f"  DIR scipy.signal.convolve full[:n], 1-s 32 kHz clip   {timed(dir_once):8.3f}")
print(f"  FOA channel swap #13, 10-s 24 kHz 4-channel clip      {timed(swap13):8.3f}")
print(f"  Freq-MixStyle numpy, batch 256 x [1, 64, 256]         {timed(mixstyle):8.3f}")
print(f"  mixup numpy, same batch, 10-class soft targets        {timed(mixup):8.3f}")
