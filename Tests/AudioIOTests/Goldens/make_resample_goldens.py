"""Reference resampling goldens: librosa.resample (soxr_hq, python-soxr) and python-samplerate.

Run: python3 make_resample_goldens.py   (librosa==0.11.0, soxr==1.1.0, samplerate==0.2.4)
Writes resample.json: per case, output length, sum of squares, and exact sample slices.
The test signals come from ../../FeaturesTests/Goldens/signals.py (mirrored by TestSupport).
"""
import json
import os
import sys

import librosa
import numpy as np
import samplerate
import soxr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "FeaturesTests", "Goldens"))
import signals  # noqa: E402

CASES = [
    ("chirp", 48000, 44100, "soxr_hq"),
    ("noise", 48000, 44100, "soxr_hq"),
    ("chirp", 44100, 32000, "soxr_hq"),
    ("noise", 22050, 16000, "soxr_hq"),
    ("chirp", 44100, 48000, "soxr_hq"),
    ("chirp", 48000, 24000, "soxr_vhq"),
    ("chirp", 48000, 44100, "sinc_best"),
    ("noise", 44100, 32000, "sinc_fastest"),
]


def main():
    cases = []
    for name, orig, target, res_type in CASES:
        n = orig  # one second
        y = signals.make(name, n, orig)
        out = librosa.resample(y, orig_sr=orig, target_sr=target, res_type=res_type)
        m = len(out)
        starts = [0, m // 3, m // 2, m - 64]
        cases.append(dict(
            signal=name, orig_sr=orig, target_sr=target, res_type=res_type, n=n, length=m,
            sum_squares=float(np.sum(out.astype(np.float64) ** 2)),
            slices=[dict(start=s, values=[float(v) for v in out[s:s + 64]]) for s in starts],
        ))
    ref = dict(librosa=librosa.__version__, soxr=soxr.__version__, samplerate=samplerate.__version__,
               numpy=np.__version__, python=sys.version.split()[0])
    with open("resample.json", "w") as f:
        json.dump(dict(reference=ref, cases=cases), f, indent=1)


if __name__ == "__main__":
    main()
