"""Ingest rate of the three paper pipelines (ds-flexinet, estm-dcase2020t2, ffmamba-seld) on their
synthetic corpora, beside the same features computed by their references on the same clips, in
alternating runs (pipe, reference, pipe, reference, ...), so both see the same machine load.

- ds-flexinet on `pipe synth tau2022` (1-s clips, 44.1 kHz): reference soundfile + librosa soxr_hq
  resampling to 32 kHz + the numpy transcription of CP-JKU's `AugmentMelSTFT` (eval mode) that the
  goldens use (Tests/FeaturesTests/Goldens/make_cpjku_goldens.py; torch is not installed here);
- estm-dcase2020t2 on `pipe synth dcase2020t2` (10/11-s clips, 16 kHz): librosa log-mel (the Sgram,
  HTK, no norm, reflect), the ESgram gate of make_esgram_goldens.py on it, and the Tgram frames
  (make_tgram_goldens.py's Conv1d framing without weights);
- ffmamba-seld on `pipe synth starss22` (30-s FOA recordings, 24 kHz): the SELD baseline's numpy code
  (seld_baseline_features.py, after seld-dcase2022 cls_feature_class.py) on each whole recording.

The pipelines run as shipped but without their `augment:` section (the references compute no
variants), `--threads T`; the references use T worker processes (multiprocessing.Pool) and write
their features to HDF5 (h5py) as the store does. Rates are audio seconds per wall-clock second,
end to end (pipe: process start to manifest; reference: first read to last write, after each worker
has warmed up on one clip: librosa's first resample alone costs 6 s here).

Run: python3 Tests/Bench/python_paper_pipelines.py --pipe .build/release/pipe --work demo/bench-papers
Needs: librosa==0.11.0, soundfile, scipy, h5py.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

import h5py
import librosa
import numpy as np
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "FeaturesTests", "Goldens"))
sys.path.insert(0, HERE)

import make_cpjku_goldens as cpjku  # noqa: E402
import make_esgram_goldens as esg  # noqa: E402
import make_tgram_goldens as tg  # noqa: E402
from seld_baseline_features import FOAFeatures  # noqa: E402


CPJKU = None


def flexinet(path):
    """make_cpjku_goldens.cpjku_mel's steps, with its window and Kaldi bank built once per worker (as
    the torch module holds them) instead of once per clip."""
    global CPJKU
    p = cpjku.resolved({})
    if CPJKU is None:
        win = np.zeros(p["n_fft"], dtype=np.float32)
        left = (p["n_fft"] - p["win_length"]) // 2
        win[left:left + p["win_length"]] = cpjku.torch_hann_symmetric(p["win_length"])
        bank = cpjku.kaldi_get_mel_banks(p["n_mels"], p["n_fft"], p["sr"], p["fmin"], p["fmax"])
        CPJKU = (win.astype(np.float64), np.ascontiguousarray(bank.T))
    win, bank_t = CPJKU
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    seconds = len(y) / sr
    y = y.mean(axis=1)
    if sr != 32000:
        y = librosa.resample(y, orig_sr=sr, target_sr=32000, res_type="soxr_hq")
    x = librosa.util.fix_length(y, size=32000)
    F32 = np.float32
    z = F32(-0.97) * x[:-1] + x[1:]
    n_fft, hop = p["n_fft"], p["hop_length"]
    zpad = np.pad(z, n_fft // 2, mode="reflect")
    T = 1 + (len(zpad) - n_fft) // hop
    frames = zpad[np.arange(n_fft)[None, :] + hop * np.arange(T)[:, None]]
    X = np.fft.rfft(frames.astype(np.float64) * win, axis=-1).astype(np.complex64)
    re, im = X.real.astype(F32), X.imag.astype(F32)
    M = (re * re + im * im) @ bank_t
    mel = (cpjku.log32(M + F32(1e-5)) + F32(4.5)) / F32(5.0)
    return {"mel256": mel.astype(np.float32)}, seconds


def estm(path):
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    seconds = len(y) / sr
    y = y.mean(axis=1)
    if sr != 16000:
        y = librosa.resample(y, orig_sr=sr, target_sr=16000, res_type="soxr_hq")
    y = librosa.util.fix_length(y, size=160000)
    P = esg.sgram_power(y, 16000)
    L = 10.0 * np.log10(np.maximum(P, np.float32(1e-10)))
    s = esg.stats(L, "numpy", 0)
    with np.errstate(over="ignore"):
        gate = 1.0 / (1.0 + np.exp(-2.0 * (s - s.mean())))
    E = gate[:, None] * L.astype(np.float64)
    T = tg.frames_of(y, 1024, 512, 512)
    return {"sgram128": L.astype(np.float32), "esgram128": E.astype(np.float32), "tgram": T.astype(np.float32)}, seconds


FOA = None


def ffmamba(path):
    global FOA
    if FOA is None:
        FOA = FOAFeatures()
    x, seconds = FOA.file_features(path)
    return {"foa7": x.astype(np.float32)}, seconds


REFERENCES = {"ds-flexinet": flexinet, "estm-dcase2020t2": estm, "ffmamba-seld": ffmamba}
# pipeline -> (corpus, its audio under --data, `pipe synth` options): 180 1-s TAU 2022 clips, 246
# DCASE 2020 T2 clips of 10-11 s (41 pairs x 6), 20 STARSS22 recordings of 30 s (60 segments).
CORPORA = {"ds-flexinet": ("tau2022", "TAU-urban-acoustic-scenes-2022-mobile-development/audio", ["--per-class", "8"]),
           "estm-dcase2020t2": ("dcase2020t2", "DCASE2020-Task2", ["--per-class", "2"]),
           "ffmamba-seld": ("starss22", "STARSS22", ["--per-class", "4", "--duration", "30"])}


def warm(name, path):
    """Each worker's one-time costs before the clock starts: librosa's first `resample` imports its
    backends (6 s here), the CP-JKU bank and the baseline's mel weights are built."""
    REFERENCES[name](path)


def noop(_):
    return None


def run_reference(name, paths, workers):
    out = os.path.join(tempfile.mkdtemp(), "reference.h5")
    seconds = 0.0
    with Pool(workers, initializer=warm, initargs=(name, paths[0])) as pool, h5py.File(out, "w") as f:
        pool.map(noop, range(4 * workers), chunksize=1)
        start = time.perf_counter()
        for i, (features, length) in enumerate(pool.imap(REFERENCES[name], paths, chunksize=2)):
            for key, value in features.items():
                f.create_dataset(f"{i}/{key}", data=value)
            seconds += length
        elapsed = time.perf_counter() - start
    shutil.rmtree(os.path.dirname(out))
    return elapsed, seconds


def run_pipe(pipe, pipeline_file, data, store, threads):
    # A fresh folder each time: the same command on the same store would resume (reuse every shard).
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run([pipe, "ingest", "--pipeline", pipeline_file, "--data", data, "--out", store,
                             "--threads", str(threads), "--progress", "none"],
                            capture_output=True, text=True, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"pipe ingest {pipeline_file} failed ({result.returncode}):\n{result.stderr}")
    import json
    with open(os.path.join(store, "manifest.json")) as f:
        rows = json.load(f)["rowCount"]
    return elapsed, rows


def without_augment(source, target):
    lines = open(source).read().split("\n")
    kept = []
    for line in lines:
        if line.startswith("augment:"):
            break
        kept.append(line)
    # The comment block just before the section describes it: drop trailing comments.
    while kept and (kept[-1].startswith("#") or not kept[-1].strip()):
        kept.pop()
    open(target, "w").write("\n".join(kept) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipe", default=os.path.join(ROOT, ".build/release/pipe"))
    parser.add_argument("--work", default=os.path.join(ROOT, "demo/bench-papers"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-class", type=int, help="override every corpus's pipe synth --per-class")
    parser.add_argument("--only", nargs="*", default=list(REFERENCES))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    data = os.path.join(args.work, "data")
    print(f"paper pipelines vs references, {args.threads} threads / worker processes, {args.rounds} alternating rounds "
          f"(librosa {librosa.__version__}, numpy {np.__version__})")
    rows = []
    for name in args.only:
        corpus, audio_dir, extra = CORPORA[name]
        if not os.path.isdir(os.path.join(data, audio_dir.split("/")[0])):
            if args.per_class:
                extra = [e for i, e in enumerate(extra) if e != "--per-class" and (i == 0 or extra[i - 1] != "--per-class")]
                extra += ["--per-class", str(args.per_class)]
            subprocess.run([args.pipe, "synth", corpus, "--out", data] + extra, check=True, capture_output=True)
        pipeline_file = os.path.join(args.work, f"{name}.yaml")
        without_augment(os.path.join(ROOT, "pipelines", f"{name}.yaml"), pipeline_file)
        paths = sorted(os.path.join(d, f) for d, _, files in os.walk(os.path.join(data, audio_dir))
                       for f in files if f.endswith(".wav") and (name != "ffmamba-seld" or "/foa_" in d))
        pipe_times, ref_times = [], []
        for _ in range(args.rounds):
            t, stored = run_pipe(args.pipe, pipeline_file, data, os.path.join(args.work, f"store-{name}"), args.threads)
            pipe_times.append(t)
            t, seconds = run_reference(name, paths, args.threads)
            ref_times.append(t)
        p, r = min(pipe_times), min(ref_times)
        # Each round's reference time over the pipe time just before it (the same machine load).
        ratios = [rt / pt for pt, rt in zip(pipe_times, ref_times)]
        rows.append((name, len(paths), stored, seconds, pipe_times, ref_times, ratios))
        print(f"  {name}: {len(paths)} files ({seconds:.0f} s of audio, {stored} rows): pipe "
              + " / ".join(f"{t:.2f}" for t in pipe_times) + " s, reference " + " / ".join(f"{t:.2f}" for t in ref_times)
              + f" s -> best {seconds / p:.1f} vs {seconds / r:.1f} audio-s/s, ratio per round "
              + " / ".join(f"{x:.2f}" for x in ratios), flush=True)
    print("| pipeline | files (audio s, rows) | pipe s | pipe audio-s/s | reference s | reference audio-s/s | ratio per round |")
    print("|---|---|---|---|---|---|---|")
    for name, files, stored, seconds, pt, rt, ratios in rows:
        print(f"| {name} | {files} ({seconds:.0f} s, {stored}) | {min(pt):.2f}–{max(pt):.2f} | {seconds / max(pt):.0f}–{seconds / min(pt):.0f} "
              f"| {min(rt):.2f}–{max(rt):.2f} | {seconds / max(rt):.0f}–{seconds / min(rt):.0f} | {min(ratios):.1f}–{max(ratios):.1f}x |")


if __name__ == "__main__":
    main()
