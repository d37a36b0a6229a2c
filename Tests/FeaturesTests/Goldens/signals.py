"""Deterministic test signals, defined identically in TestSignals.swift.

Every golden is computed from these, so no audio is committed: the Swift tests regenerate the
same float32 samples. Noise uses a 64-bit LCG whose values are exact in float32; tones are
computed in float64 and rounded to float32.
"""
import numpy as np

MASK = (1 << 64) - 1


def noise(n, seed=1):
    state = seed & MASK
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        out[i] = np.float32((state >> 40) / float(1 << 24) - 0.5)
    return out


def tone(n, sr):
    t = np.arange(n, dtype=np.float64) / sr
    return (0.3 * np.sin(2 * np.pi * 440.0 * t) + 0.2 * np.sin(2 * np.pi * 3000.0 * t)).astype(np.float32)


def chirp(n, sr, f0=100.0, f1=None):
    f1 = f1 if f1 is not None else sr * 0.45
    t = np.arange(n, dtype=np.float64) / sr
    dur = n / sr
    return (0.4 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / (2 * dur) * t * t))).astype(np.float32)


def silence(n):
    return np.zeros(n, dtype=np.float32)


def make(name, n, sr):
    if name == "noise":
        return noise(n)
    if name == "tone":
        return tone(n, sr)
    if name == "chirp":
        return chirp(n, sr)
    if name == "silence":
        return silence(n)
    raise ValueError(name)
