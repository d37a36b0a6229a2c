"""The Python pipeline `make bench` is compared with: what a researcher's script does for the
default ingest pipeline (soundfile, librosa 0.11 with its default soxr_hq resampler, h5py, two
worker processes), on the bench clips `pipe bench` generated.

Run: python3 Tests/Bench/python_reference.py demo/bench/audio-200 [--workers 2]
Needs: librosa==0.11.0, soundfile, soxr, h5py (pip). Prints clips per second end to end.
"""
import argparse
import glob
import os
import tempfile
import time
from multiprocessing import Pool

import h5py
import librosa
import numpy as np
import soundfile as sf


def features(path):
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    y = y.mean(axis=1)
    if sr != 44100:
        y = librosa.resample(y, orig_sr=sr, target_sr=44100, res_type="soxr_hq")
    y = librosa.util.fix_length(y, size=441000)
    S = librosa.feature.melspectrogram(y=y, sr=44100, n_fft=2048, win_length=1764, hop_length=882,
                                       n_mels=64, window="hann", center=True, power=2.0)
    return os.path.basename(path), librosa.power_to_db(S).T.astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("audio")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    paths = sorted(glob.glob(os.path.join(args.audio, "**", "*.wav"), recursive=True))
    out = os.path.join(tempfile.mkdtemp(), "shard.h5")
    start = time.perf_counter()
    with Pool(args.workers) as pool, h5py.File(out, "w") as f:
        data = f.create_dataset("features/logmel64", (len(paths), 1, 501, 64), dtype="float32", chunks=(1, 1, 501, 64))
        ids = f.create_dataset("meta/id", (len(paths),), dtype=h5py.string_dtype())
        for i, (name, x) in enumerate(pool.imap(features, paths, chunksize=4)):
            data[i, 0] = x
            ids[i] = name
    elapsed = time.perf_counter() - start
    print(f"python reference: {len(paths)} clips, {args.workers} workers: {elapsed:.2f} s, "
          f"{len(paths) / elapsed:.1f} clips/s (librosa {librosa.__version__})")


if __name__ == "__main__":
    main()
