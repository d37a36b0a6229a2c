"""FOA log-mel + intensity-vector goldens (see ../../../docs/features.md §3).

A numpy transcription of seld-dcase2022 `cls_feature_class.py` (FeatureClass._spectrogram,
_get_mel_spectrogram, _get_foa_intensity_vectors) and of the seld-dcase2021 IV variant, calling
librosa exactly as the baselines do. Differences from the baselines' scripts: the audio comes from
signals.make_multi (float32, W Y Z X) instead of `wavfile.read(...)/32768`; like the baseline it is
then promoted to float64 with `+ 1e-8` added to every sample, so the STFT runs in complex128.

Run: python3 make_foa_goldens.py   (needs librosa==0.11.0, numpy)
Writes foa.json: per case the output as [T, 7*n_mels] (channel-major: mel W, Y, Z, X, then the three
IV channels in the convention's order), a few complete frames, max and mean.
"""
import os

# The committed goldens were made with numpy's AVX2 code paths and OpenBLAS's Haswell kernels; on an
# AVX-512 machine numpy's float32 log10 and OpenBLAS's SkylakeX sgemm round some float32 values
# differently (1 ulp), which would rewrite every golden. Pin them (before numpy is imported).
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL")
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

import json
import sys

import librosa
import numpy as np
import scipy

import signals

EPS = 1e-8


def baseline(audio, sr, n_fft, hop, win, n_mels, convention, pad_mode, sample_eps=EPS):
    # [n, 4], as `audio[:, :4] / 32768.0 + self._eps` (both the 2021 and the 2022 `_load_audio`);
    # sample_eps=0 is the clean signal (FOAParameters.sample_eps: 0).
    audio = audio.T.astype(np.float64) + sample_eps
    n = audio.shape[0]
    nb_frames = int(n / float(hop)) if convention == "dcase2022" else int(np.ceil(n / float(hop)))
    spectra = []
    for ch in range(audio.shape[-1]):
        stft_ch = librosa.core.stft(np.asfortranarray(audio[:, ch]), n_fft=n_fft, hop_length=hop,
                                    win_length=win, window="hann", pad_mode=pad_mode)
        spectra.append(stft_ch[:, :nb_frames])
    linear = np.array(spectra).T                      # [T, F, 4]
    mel_wts = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels).T
    T = linear.shape[0]

    mel_feat = np.zeros((T, n_mels, 4))
    for ch in range(4):
        mag = np.abs(linear[:, :, ch]) ** 2
        mel_feat[:, :, ch] = librosa.power_to_db(np.dot(mag, mel_wts))
    mel_feat = mel_feat.transpose((0, 2, 1)).reshape((T, -1))

    if convention == "dcase2022":
        W = linear[:, :, 0]
        I = np.real(np.conj(W)[:, :, np.newaxis] * linear[:, :, 1:])
        E = EPS + (np.abs(W) ** 2 + ((np.abs(linear[:, :, 1:]) ** 2).sum(-1)) / 3.0)
        I_norm = I / E[:, :, np.newaxis]
        I_norm_mel = np.transpose(np.dot(np.transpose(I_norm, (0, 2, 1)), mel_wts), (0, 2, 1))
        iv = I_norm_mel.transpose((0, 2, 1)).reshape((T, n_mels * 3))
    else:
        IVx = np.real(np.conj(linear[:, :, 0]) * linear[:, :, 3])
        IVy = np.real(np.conj(linear[:, :, 0]) * linear[:, :, 1])
        IVz = np.real(np.conj(linear[:, :, 0]) * linear[:, :, 2])
        normal = EPS + (np.abs(linear[:, :, 0]) ** 2 + np.abs(linear[:, :, 1]) ** 2
                        + np.abs(linear[:, :, 2]) ** 2 + np.abs(linear[:, :, 3]) ** 2) / 2.
        IVx = np.dot(IVx / normal, mel_wts)
        IVy = np.dot(IVy / normal, mel_wts)
        IVz = np.dot(IVz / normal, mel_wts)
        iv = np.dstack((IVx, IVy, IVz)).transpose((0, 2, 1)).reshape((T, -1))
    return np.concatenate((mel_feat, iv), axis=-1)    # [T, 7 * n_mels]


CASES = [
    # FFMamba (seed 003): 24 kHz, Hann 512, hop 300, n_fft 512, 128 mels; 2022 normalisation.
    dict(id="ffmamba_2022", signal="foa_mix", sr=24000, n=24000,
         params=dict(n_fft=512, hop_length=300, win_length=512, n_mels=128, convention="dcase2022", pad_mode="constant")),
    # The 2022 baseline's own STFT (hop 480, win 960, n_fft 1024, 64 mels), n not a multiple of hop.
    dict(id="seld2022_baseline", signal="foa_mix", sr=24000, n=24100,
         params=dict(n_fft=1024, hop_length=480, win_length=960, n_mels=64, convention="dcase2022", pad_mode="constant")),
    # 2021: IV (X, Y, Z), E/2, ceil frame count, reflect padding (librosa <= 0.8 era).
    dict(id="seld2021_reflect", signal="foa_mix", sr=24000, n=24100,
         params=dict(n_fft=1024, hop_length=480, win_length=960, n_mels=64, convention="dcase2021", pad_mode="reflect")),
    # Beyond the shipped pipelines (issue 6): a quiet clip (gain 7.5e-4: peak -66 dBFS, W at -72 dBFS
    # RMS), where the baselines' 1e-8 added to every sample moves the log-mel by ~0.1 dB and the IV
    # by ~1e-4 (bars 0.01 dB and 1e-5). Both baselines add it; sample_eps 0 is the clean option.
    dict(id="quiet_ffmamba_2022", signal="foa_mix", sr=24000, n=24000,
         params=dict(gain=7.5e-4, n_fft=512, hop_length=300, win_length=512, n_mels=128, convention="dcase2022",
                     pad_mode="constant")),
    dict(id="quiet_seld2021_baseline", signal="foa_mix", sr=24000, n=24100,
         params=dict(gain=7.5e-4, n_fft=1024, hop_length=480, win_length=960, n_mels=64, convention="dcase2021",
                     pad_mode="constant")),
    dict(id="quiet_no_sample_eps_2022", signal="foa_mix", sr=24000, n=24000,
         params=dict(gain=7.5e-4, n_fft=512, hop_length=300, win_length=512, n_mels=64, convention="dcase2022",
                     pad_mode="constant", sample_eps=0.0)),
]


def g(v):
    return float("%.9g" % v)


def run(case):
    p = case["params"]
    audio = signals.make_multi(case["signal"], case["n"], case["sr"], p.get("gain"))
    L = baseline(audio, case["sr"], p["n_fft"], p["hop_length"], p["win_length"], p["n_mels"], p["convention"],
                 p["pad_mode"], p.get("sample_eps", EPS))
    T = L.shape[0]
    # The quiet cases (the offset moves every frame alike) keep three frames to stay small.
    picks = [1, T // 2, T - 1] if "gain" in p else [0, 1, 2, T // 2, T - 2, T - 1]
    idx = sorted(set(i for i in picks if 0 <= i < T))
    out = dict(case)
    out["shape"] = [7, T, p["n_mels"]]
    out["frame_indices"] = idx
    out["frames"] = [[g(v) for v in L[i]] for i in idx]
    out["max"] = float(L[:, :4 * p["n_mels"]].max())   # of the log-mel channels
    out["mean"] = float(L[:, :4 * p["n_mels"]].mean())
    return out


def main():
    result = dict(
        reference={"librosa": librosa.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                   "python": sys.version.split()[0],
                   "baseline": "seld-dcase2022 cls_feature_class.py (c8adb1d), seld-dcase2021 (numpy transcription)"},
        cases=[run(c) for c in CASES],
    )
    with open("foa.json", "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
