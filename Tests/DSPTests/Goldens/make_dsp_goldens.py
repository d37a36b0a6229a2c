"""Reference values for the DSP module's building blocks (see ../../../docs/features.md §1.1-1.5).

Run: python3 make_dsp_goldens.py   (needs librosa==0.11.0, numpy, scipy)
Writes dsp.json (kept < 200 kB): windows, pad_center, reflect padding, Hz<->mel, mel_frequencies,
full mel filterbanks, STFT power (and which frames librosa's tail-slice padding changes, over a
sweep of n_fft/hop/length) and power_to_db, each with the inputs that produced it.

Float32 results are written as the shortest decimal that round-trips in float32; the script checks
that parsing that decimal as float64 and then rounding to float32 (what the Swift test does) gives
the same bits back, so the goldens can be compared bit for bit. Float64 results use Python's
round-trip repr.
"""
import os

# The committed goldens were made with numpy's AVX2 code paths and OpenBLAS's Haswell kernels; on an
# AVX-512 machine numpy's float32 log10 and OpenBLAS's SkylakeX sgemm round some float32 values
# differently (1 ulp), which would rewrite every golden. Pin them (before numpy is imported).
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL")
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

import json
import sys
import warnings

import librosa
import numpy as np
import scipy
import scipy.signal

# The deterministic signals live with the features goldens; TestSignals.swift mirrors them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "FeaturesTests", "Goldens"))
import signals  # noqa: E402


def f32(values):
    """float32 array -> list of floats that survive decimal -> float64 -> float32 unchanged."""
    a = np.asarray(values, dtype=np.float32).ravel()
    out = [float(str(v)) for v in a]
    back = np.asarray(out, dtype=np.float64).astype(np.float32)
    assert np.array_equal(back.view(np.uint32), a.view(np.uint32)), "float32 round trip failed"
    return out


def f64(values):
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def windows():
    out = []
    for n in [1, 2, 7, 8, 63, 64, 201]:
        entry = dict(n=n, hann=f64(scipy.signal.get_window("hann", n, fftbins=True)))
        if n <= 64:
            entry["hamming"] = f64(scipy.signal.get_window("hamming", n, fftbins=True))
            entry["hann_symmetric"] = f64(np.hanning(n))
        out.append(entry)
    return out


def pad_centers():
    out = []
    for win_length, size in [(9, 16), (10, 16), (10, 17), (16, 16), (1, 8)]:
        w = librosa.filters.get_window("hann", win_length, fftbins=True)
        out.append(dict(win_length=win_length, size=size, values=f64(librosa.util.pad_center(w, size=size))))
    return out


def reflect_pads():
    """np.pad(mode='reflect') on both sides, including signals shorter than the pad (numpy then
    reflects repeatedly)."""
    out = []
    for n, pad in [(1, 5), (2, 7), (3, 16), (5, 16), (17, 16), (64, 16)]:
        y = signals.noise(n)
        out.append(dict(signal="noise", n=n, pad=pad, values=f32(np.pad(y, (pad, pad), mode="reflect"))))
    return out


HZ = [0.0, 1.0, 50.0, 440.0, 999.0, 999.9999999, 1000.0, 1000.0000001, 1234.5, 4000.0, 8000.0,
      11025.0, 16000.0, 22050.0, 48000.0]
MELS = [0.0, 0.5, 1.0, 7.3, 14.999999, 15.0, 15.000001, 20.0, 31.7, 45.0, 59.99247, 80.0,
        1000.0, 2146.06452750619, 3000.0]


def mel_scale():
    return dict(
        hz=HZ, mels=MELS,
        hz_to_mel_slaney=f64(librosa.hz_to_mel(np.array(HZ), htk=False)),
        hz_to_mel_htk=f64(librosa.hz_to_mel(np.array(HZ), htk=True)),
        mel_to_hz_slaney=f64(librosa.mel_to_hz(np.array(MELS), htk=False)),
        mel_to_hz_htk=f64(librosa.mel_to_hz(np.array(MELS), htk=True)),
    )


MEL_FREQ = [
    dict(n_mels=42, fmin=0.0, fmax=8000.0, htk=False),
    dict(n_mels=22, fmin=0.0, fmax=11025.0, htk=True),
    dict(n_mels=130, fmin=20.0, fmax=22050.0, htk=False),
    dict(n_mels=3, fmin=300.0, fmax=3000.0, htk=True),
    dict(n_mels=1, fmin=100.0, fmax=5000.0, htk=False),
]


def mel_frequencies():
    return [dict(c, values=f64(librosa.mel_frequencies(c["n_mels"], fmin=c["fmin"], fmax=c["fmax"], htk=c["htk"])))
            for c in MEL_FREQ]


MEL_FILTERS = [
    dict(id="sr16k_512_40", sr=16000, n_fft=512, n_mels=40, fmin=0.0, fmax=None, htk=False, norm="slaney"),
    dict(id="sr22k_256_20_htk_nonorm", sr=22050, n_fft=256, n_mels=20, fmin=0.0, fmax=None, htk=True, norm=None),
    dict(id="sr16k_400_26_band", sr=16000, n_fft=400, n_mels=26, fmin=20.0, fmax=7600.0, htk=False, norm="slaney"),
    dict(id="sr8k_255_16_htk_odd", sr=8000, n_fft=255, n_mels=16, fmin=100.0, fmax=3800.0, htk=True, norm="slaney"),
    dict(id="sr44k_2048_64_asc", sr=44100, n_fft=2048, n_mels=64, fmin=0.0, fmax=None, htk=False, norm="slaney"),
]


def mel_filters():
    """Full filterbanks, stored sparsely: each row's first nonzero bin and the values up to its last
    nonzero bin. Everything outside that run is exactly 0 (the test checks it)."""
    out = []
    for c in MEL_FILTERS:
        W = librosa.filters.mel(sr=c["sr"], n_fft=c["n_fft"], n_mels=c["n_mels"], fmin=c["fmin"], fmax=c["fmax"],
                                htk=c["htk"], norm=c["norm"])
        assert W.dtype == np.float32
        rows = []
        for row in W:
            nz = np.flatnonzero(row)
            start, stop = (int(nz[0]), int(nz[-1]) + 1) if nz.size else (0, 0)
            rows.append(dict(start=start, values=f32(row[start:stop])))
        out.append(dict(c, shape=list(W.shape), rows=rows))
    return out


STFT = [
    dict(id="chirp_center_constant", signal="chirp", sr=16000, n=500, n_fft=128, hop_length=32, win_length=None,
         center=True, pad_mode="constant"),
    dict(id="chirp_center_reflect", signal="chirp", sr=16000, n=500, n_fft=128, hop_length=32, win_length=None,
         center=True, pad_mode="reflect"),
    dict(id="noise_win100_constant", signal="noise", sr=16000, n=600, n_fft=128, hop_length=48, win_length=100,
         center=True, pad_mode="constant"),
    dict(id="tone_nocenter_win97", signal="tone", sr=16000, n=700, n_fft=128, hop_length=40, win_length=97,
         center=False, pad_mode="constant"),
    dict(id="noise_short_reflect", signal="noise", sr=16000, n=50, n_fft=128, hop_length=32, win_length=None,
         center=True, pad_mode="reflect"),
    dict(id="noise_odd_nfft_reflect", signal="noise", sr=16000, n=300, n_fft=63, hop_length=20, win_length=None,
         center=True, pad_mode="reflect"),
    # hop = n_fft/2 and n a multiple of hop: librosa 0.11 reflect-pads only a tail slice of the signal
    # that is shorter than the pad, so numpy reflects it twice and the last frame's last sample differs
    # from padding the whole signal (STFT's default `pad_tail: slice` follows librosa; the
    # whole-signal values are kept for `pad_tail: whole`, see STFTTests.testReflectTailRule).
    dict(id="chirp_halfhop_reflect_tail", signal="chirp", sr=16000, n=512, n_fft=128, hop_length=64, win_length=None,
         center=True, pad_mode="reflect"),
]


def stft():
    out = []
    for c in STFT:
        y = signals.make(c["signal"], c["n"], c["sr"])
        D = librosa.stft(y, n_fft=c["n_fft"], hop_length=c["hop_length"], win_length=c["win_length"],
                         center=c["center"], pad_mode=c["pad_mode"])
        assert D.dtype == np.complex64
        P = (np.abs(D) ** 2).T  # time-major [T, F], float32
        entry = dict(c, shape=list(P.shape), power=f32(P))
        if c["pad_mode"] == "reflect":
            # The same STFT with the whole signal reflect-padded first (what features.md §1.2 describes);
            # stored only where librosa differs from it.
            win = librosa.util.pad_center(librosa.filters.get_window("hann", c["win_length"] or c["n_fft"]),
                                          size=c["n_fft"])
            frames = librosa.util.frame(np.pad(y, c["n_fft"] // 2, mode="reflect"), frame_length=c["n_fft"],
                                        hop_length=c["hop_length"])
            Pw = (np.abs(np.fft.rfft(win[:, None] * frames, axis=0).astype(np.complex64)) ** 2).T
            if np.array_equal(Pw, P):
                assert not c["id"].endswith("_tail")
            else:
                assert c["id"].endswith("_tail"), c["id"]
                entry["power_whole_pad"] = f32(Pw)
        out.append(entry)
    return out


TAIL_SWEEP = dict(n_fft=[4, 7, 8, 9, 16], hop_length=list(range(1, 11)), n=list(range(1, 41)))


def stft_tail_rule():
    """Which frames of librosa.stft(pad_mode='reflect') differ from reflect-padding the whole signal,
    over a sweep of (n_fft, hop, n) on noise with window 'ones' (every sample weighs). librosa 0.10+
    pads the head and tail slices separately (features.md §1.2); this lists every frame where that
    changes a value, so the Swift rule is checked on each combination, not only on one case.
    Constant padding never differs (checked here, not stored)."""
    differing = []
    for n_fft in TAIL_SWEEP["n_fft"]:
        for hop in TAIL_SWEEP["hop_length"]:
            for n in TAIL_SWEEP["n"]:
                y = signals.noise(n)
                for mode in ["reflect", "constant"]:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        D = librosa.stft(y, n_fft=n_fft, hop_length=hop, window="ones", pad_mode=mode)
                    frames = librosa.util.frame(np.pad(y, n_fft // 2, mode=mode), frame_length=n_fft, hop_length=hop)
                    W = np.fft.rfft(frames.astype(np.float64), axis=0).astype(np.complex64)
                    assert D.shape == W.shape
                    for t in range(D.shape[1]):
                        if np.abs(D[:, t] - W[:, t]).max() > 1e-6 * max(1.0, np.abs(W[:, t]).max()):
                            assert mode == "reflect", (n_fft, hop, n, t)
                            differing.append([n_fft, hop, n, t])
    return dict(TAIL_SWEEP, pad_mode="reflect", window="ones", differing=differing)


def power_to_db():
    """Inputs span ~25 decades, include exact zeros and values below every amin used."""
    y = signals.noise(240)
    S = (np.abs(y.astype(np.float64)) ** 6 * 1e3).astype(np.float32)
    S[::37] = 0
    S[5] = 1e-12
    S[6] = 3e-11
    # The maximum (ref=np.max). Chosen so that 10*log10(max) in float32 (numpy's rule for an
    # np.float32 ref_value) differs from the float64 result rounded to float32: 30.91491 vs 30.914911.
    S[7] = 1234.5
    cases = [
        dict(id="ref1_top80", ref=1.0, amin=1e-10, top_db=80.0),
        dict(id="ref1_none", ref=1.0, amin=1e-10, top_db=None),
        dict(id="refmax_top80", ref="max", amin=1e-10, top_db=80.0),
        dict(id="refmax_none", ref="max", amin=1e-10, top_db=None),
        dict(id="ref0.5_amin1e-5_top40", ref=0.5, amin=1e-5, top_db=40.0),
        dict(id="refneg3_amin1e-3_none", ref=-3.0, amin=1e-3, top_db=None),
        dict(id="refmax_amin1e-6_top20", ref="max", amin=1e-6, top_db=20.0),
    ]
    out = []
    for c in cases:
        ref = np.max if c["ref"] == "max" else c["ref"]
        L = librosa.power_to_db(S, ref=ref, amin=c["amin"], top_db=c["top_db"])
        assert L.dtype == np.float32
        out.append(dict(c, values=f32(L)))
    return dict(input=f32(S), cases=out)


def main():
    result = dict(
        reference=dict(librosa=librosa.__version__, numpy=np.__version__, scipy=scipy.__version__,
                       python=sys.version.split()[0]),
        windows=windows(),
        pad_center=pad_centers(),
        reflect_pad=reflect_pads(),
        mel_scale=mel_scale(),
        mel_frequencies=mel_frequencies(),
        mel_filters=mel_filters(),
        stft=stft(),
        stft_tail_rule=stft_tail_rule(),
        power_to_db=power_to_db(),
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dsp.json")
    with open(path, "w") as f:
        json.dump(result, f, separators=(",", ":"))
    print(f"wrote {path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
