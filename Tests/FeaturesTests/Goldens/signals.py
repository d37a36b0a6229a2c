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


def make(name, n, sr, gain=None):
    """The named signal; `gain` (a case's params["gain"]) scales it as a float32 product, as the
    Swift tests do (GoldenFile.Case.signal)."""
    if gain is not None:
        return (make(name, n, sr) * np.float32(gain)).astype(np.float32)
    if name == "noise":
        return noise(n)
    if name == "tone":
        return tone(n, sr)
    if name == "chirp":
        return chirp(n, sr)
    if name == "silence":
        return silence(n)
    raise ValueError(name)


# --- Multichannel signals (appended; TestSignals.makeMulti mirrors them) ---------------------------

def foa_encode(s, azimuth_deg, elevation_deg):
    """First-order Ambisonics, ACN/SN3D as DCASE ships it: (W, Y, Z, X) = s(1, sinφcosθ, sinθ, cosφcosθ)."""
    phi, theta = np.deg2rad(azimuth_deg), np.deg2rad(elevation_deg)
    return [s * 1.0, s * (np.sin(phi) * np.cos(theta)), s * np.sin(theta), s * (np.cos(phi) * np.cos(theta))]


def foa_mix(n, sr):
    """Two sources and weak diffuse noise in FOA (4 channels W, Y, Z, X), float64 sum rounded to float32.

    Source 1: 0.5·noise(seed 7) from azimuth 30°, elevation 10°; source 2: the chirp from -120°, -20°;
    plus 0.05·noise(seed 11+c) on channel c.
    """
    s1 = 0.5 * noise(n, seed=7).astype(np.float64)
    s2 = chirp(n, sr).astype(np.float64)
    a = foa_encode(s1, 30.0, 10.0)
    b = foa_encode(s2, -120.0, -20.0)
    return np.stack([(a[c] + b[c] + 0.05 * noise(n, seed=11 + c).astype(np.float64)).astype(np.float32)
                     for c in range(4)])


def make_multi(name, n, sr, gain=None):
    if gain is not None:
        return (make_multi(name, n, sr) * np.float32(gain)).astype(np.float32)
    if name == "foa_mix":
        return foa_mix(n, sr)
    raise ValueError(name)
