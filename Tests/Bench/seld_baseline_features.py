"""The SELD baseline's FOA features, as seld-dcase2022 `cls_feature_class.py` computes them
(FeatureClass._load_audio, _spectrogram, _get_mel_spectrogram, _get_foa_intensity_vectors), written
out as plain functions with FFMamba's parameters (pipelines/ffmamba-seld.yaml: 24 kHz, n_fft 512,
win 512, hop 300, 128 mels) in place of the baseline's (hop 0.02 s, win 2 x hop, 64 mels).

What the baseline does, step by step:
- `wav.read(path)`, `audio[:, :4] / 32768.0 + 1e-8` (int16 files; float64 from there on);
- frames `int(len(audio) / hop)`; per channel `librosa.core.stft(np.asfortranarray(x), n_fft,
  hop_length, win_length, window='hann')` (librosa's defaults: centred, constant padding in 0.11),
  cut to those frames, stacked as [T, F, 4];
- log-mel: `librosa.filters.mel(sr, n_fft, n_mels).T`, `|S|^2 @ W`, `librosa.power_to_db` per
  channel, laid out [T, 4 * n_mels] channel-major;
- intensity vectors: I = Re(conj(W) * [Y, Z, X]), E = eps + |W|^2 + sum(|Y|^2, |Z|^2, |X|^2) / 3,
  (I / E) @ mel weights, [T, 3 * n_mels]; then the two concatenated: [T, 7 * n_mels].

Used by python_paper_pipelines.py (make bench) as the reference for ffmamba-seld.
"""
import librosa
import numpy as np
import scipy.io.wavfile as wav

EPS = 1e-8
NB_CHANNELS = 4


class FOAFeatures:
    def __init__(self, fs=24000, n_fft=512, win_len=512, hop_len=300, nb_mel_bins=128):
        self.fs, self.n_fft, self.win_len, self.hop_len, self.nb_mel_bins = fs, n_fft, win_len, hop_len, nb_mel_bins
        self.mel_wts = librosa.filters.mel(sr=fs, n_fft=n_fft, n_mels=nb_mel_bins).T

    def load_audio(self, path):
        fs, audio = wav.read(path)
        assert fs == self.fs, f"{path}: {fs} Hz, the baseline reads {self.fs} Hz files"
        return audio[:, :NB_CHANNELS] / 32768.0 + EPS

    def spectrogram(self, audio, nb_frames):
        spectra = []
        for ch in range(audio.shape[1]):
            stft_ch = librosa.core.stft(np.asfortranarray(audio[:, ch]), n_fft=self.n_fft, hop_length=self.hop_len,
                                        win_length=self.win_len, window="hann")
            spectra.append(stft_ch[:, :nb_frames])
        return np.array(spectra).T

    def mel_spectrogram(self, linear):
        mel_feat = np.zeros((linear.shape[0], self.nb_mel_bins, linear.shape[-1]))
        for ch in range(linear.shape[-1]):
            mag = np.abs(linear[:, :, ch]) ** 2
            mel_feat[:, :, ch] = librosa.power_to_db(np.dot(mag, self.mel_wts))
        return mel_feat.transpose((0, 2, 1)).reshape((linear.shape[0], -1))

    def intensity_vectors(self, linear):
        W = linear[:, :, 0]
        I = np.real(np.conj(W)[:, :, np.newaxis] * linear[:, :, 1:])
        E = EPS + (np.abs(W) ** 2 + ((np.abs(linear[:, :, 1:]) ** 2).sum(-1)) / 3.0)
        I_norm = I / E[:, :, np.newaxis]
        I_norm_mel = np.transpose(np.dot(np.transpose(I_norm, (0, 2, 1)), self.mel_wts), (0, 2, 1))
        return I_norm_mel.transpose((0, 2, 1)).reshape((linear.shape[0], self.nb_mel_bins * 3))

    def file_features(self, path):
        audio = self.load_audio(path)
        nb_frames = int(len(audio) / float(self.hop_len))
        linear = self.spectrogram(audio, nb_frames)
        return np.concatenate((self.mel_spectrogram(linear), self.intensity_vectors(linear)), axis=-1), len(audio) / self.fs
