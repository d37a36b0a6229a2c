"""Per-representation cost of the reference Python implementations on one core, for comparison
with the representation table of `pipe bench` (same clip kind: 10 s of noise plus a tone).

Run: OPENBLAS_NUM_THREADS=1 python3 Tests/Bench/python_representations.py
Needs librosa==0.11.0 and gammatone==1.0.3 (pip).
"""
import os
import sys
import time

import librosa
import numpy as np
from gammatone.fftweight import fft_gtgram

# The SELD baseline's feature code (seld-dcase2022 cls_feature_class.py, transcribed in numpy for the FOA goldens).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "FeaturesTests", "Goldens"))
from make_foa_goldens import baseline as seld_baseline  # noqa: E402


def clip(sr, seconds=10.0, channels=1):
    rng = np.random.default_rng(0)
    t = np.arange(int(sr * seconds)) / sr
    return np.stack([(0.1 * rng.uniform(-1, 1, t.size) + 0.2 * np.sin(2 * np.pi * 440 * (c + 1) * t)).astype(np.float32)
                     for c in range(channels)])


def ms(fn, repeats=5):
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats * 1000


def main():
    y = clip(44100)[0]
    foa = clip(24000, channels=4)
    rows = [
        ("ingest logmel64", lambda: librosa.power_to_db(librosa.feature.melspectrogram(
            y=y, sr=44100, n_fft=2048, win_length=1764, hop_length=882, n_mels=64))),
        ("sps logmel40", lambda: librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=44100, n_fft=2048, hop_length=512, n_mels=40))),
        ("sps cqt64", lambda: np.abs(librosa.cqt(y, sr=44100, hop_length=512, n_bins=64))),
        ("sps gamma64 (gammatone fft_gtgram)", lambda: fft_gtgram(y, 44100, 2048 / 44100, 512 / 44100, 64, 20)),
        ("sps mfcc40", lambda: librosa.feature.mfcc(y=y, sr=44100, n_fft=2048, hop_length=512, n_mels=40, n_mfcc=40)),
        # ffmamba-seld's foa7 (24 kHz, 4 channels W Y Z X, 512/300, 128 mels, dcase2022) as the baseline computes it.
        ("seld foa7 (baseline numpy)", lambda: seld_baseline(foa, 24000, 512, 300, 512, 128, "dcase2022", "constant")),
    ]
    for name, fn in rows:
        print(f"{name:40s} {ms(fn):8.1f} ms per clip")


if __name__ == "__main__":
    main()
