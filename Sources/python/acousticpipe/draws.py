"""The Swift stream's online augmentation draws in Python, bit for bit: ``AugmentRandom``
(Sources/Augment/AugmentRandom.swift) over SplitMix64, and each augmentation's ``draw`` in the order
the Swift code draws (Mixup, FreqMixStyle, Masking, FrequencyShift in Sources/Augment).

A batch's transform ``k`` (in the order frequency shift, frequency mask, time mask, Freq-MixStyle,
mixup; only those switched on are counted) draws from
``AugmentRandom(SplitMix64(seed, f"augment#{epoch}#{batch}#{rank}#{k}").next())``, as
``StreamTable.transform`` seeds it, so the same (seed, epoch, batch, rank) gives the same draws in
Python and in Swift. The floating-point steps (log, cos, pow, sqrt in double) are the ones the Swift
code runs, through the same C library.
"""

import math

import numpy as np

from .batches import SplitMix64


class AugmentRandom:
    """Sources/Augment/AugmentRandom.swift."""

    def __init__(self, seed):
        self.seed = seed
        self.generator = SplitMix64(seed)

    def uniform(self):
        return self.generator.next_unit()

    def uniform_float(self):
        """float32 in [0, 1) from the top 24 bits."""
        return np.float32((self.generator.next() >> 40) * 2.0 ** -24)

    def integer_in(self, low, high):
        """Uniform in low...high, both included."""
        return low + self.generator.next_int(high - low + 1)

    def integer_below(self, bound):
        return self.generator.next_int(bound)

    def normal(self):
        u1 = 1 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)

    def gamma(self, shape):
        if shape < 1:
            g = self.gamma(shape + 1)
            return g * math.pow(1 - self.uniform(), 1 / shape)
        d = shape - 1.0 / 3.0
        c = 1 / math.sqrt(9 * d)
        while True:
            while True:
                x = self.normal()
                v = 1 + c * x
                if v > 0:
                    break
            v = v * v * v
            u = 1 - self.uniform()
            if math.log(u) < 0.5 * x * x + d - d * v + d * math.log(v):
                return d * v

    def beta(self, a, b):
        x = self.gamma(a)
        y = self.gamma(b)
        total = x + y
        if total > 0:
            return x / total
        return 1.0 if self.uniform() < a / (a + b) else 0.0

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.integer_below(i + 1)
            p[i], p[j] = p[j], p[i]
        return p


def stream_random(seed, epoch, batch, rank, k):
    """The generator of transform ``k`` of a batch, as the Swift stream makes it."""
    return AugmentRandom(SplitMix64(seed, f"augment#{epoch}#{batch}#{rank}#{k}").next())


def draw_mixup(rows, alpha, random):
    """Mixup.draw (per-row λ, max(λ, 1-λ)): (lambdas float32, permutation)."""
    perm = random.permutation(rows)
    lam = np.array([np.float32(random.beta(alpha, alpha)) for _ in range(rows)], dtype=np.float32)
    lam = np.maximum(lam, np.float32(1) - lam)
    return lam, np.array(perm, dtype=np.int64)


def draw_freq_mixstyle(rows, alpha, p, random):
    """FreqMixStyle.draw: None when the gate (u <= p) fails, else (lambdas, permutation)."""
    if not random.uniform() <= p:
        return None
    lam = np.array([np.float32(random.beta(alpha, alpha)) for _ in range(rows)], dtype=np.float32)
    return lam, np.array(random.permutation(rows), dtype=np.int64)


def draw_mask(masks, length, mask_param, random):
    """Masking.draw (p 1): every value uniform first, then each start's; (starts, widths)."""
    values = [random.uniform_float() for _ in range(masks)]
    starts, widths = [], []
    for u1 in values:
        u2 = random.uniform_float()
        value = np.float32(u1) * np.float32(mask_param)
        min_value = np.float32(u2) * (np.float32(length) - value)
        starts.append(int(min_value))
        widths.append(int(value))
    return starts, widths


def draw_freq_shift(rows, freq_shift_range, random, p=0.5):
    """FrequencyShift.draw: per row u, shift in 1...range-1, direction."""
    shifts = []
    for _ in range(rows):
        u = random.uniform()
        shift = random.integer_in(1, freq_shift_range - 1)
        up = random.integer_below(2) == 0
        shifts.append((shift if up else -shift) if u < p else 0)
    return shifts
