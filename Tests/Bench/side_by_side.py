"""`make bench`'s side-by-side (issue 8): the default `pipe ingest` against the bare C program doing the
same decode, mono mix, soxr HQ resampling and log-mel with no writing (../shared/bench/ingest_floor.c),
and against the Python reference (Tests/Bench/python_reference.py: soundfile + librosa + h5py), on the
same clips, in one run.

Other work on the machine makes absolute times drift, so runs alternate (the order flips every pair)
and what counts is the median of the pairwise ratios, of wall time and of CPU time (user + system of
the child and everything it waited for, from wait4). Peak RSS is the child's ru_maxrss (for the
Python reference: its largest process, the pool workers included).

The floor is taken at its best: its wall time is the one it prints (threads started to joined, so
not its process start nor its FFTW_MEASURE planning), and its CPU time is the process's less its
setup (the median CPU of three runs on one clip, one thread: the planning and that one clip). pipe's
times are its whole process (start, planning, writing, checksums, manifest). The process-to-process
ratios are printed beside them.

Run: python3 Tests/Bench/side_by_side.py --pipe .build/release/pipe --floor .build/bench/ingest_floor \
       --audio demo/bench/audio-200 --work demo/bench/side-by-side [--pairs 9] [--python-pairs 5]
       [--large demo/bench/audio-2000] [--representation-rounds 5]
Standard library only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(argv, env=None):
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child, and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)  # wait4, not wait: the child's rusage
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0); err.seek(0)
        text = out.read().decode(errors="replace")
        if child.returncode != 0:
            sys.exit(f"{' '.join(argv)}: exit status {child.returncode}\n{text}{err.read().decode(errors='replace')}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024, "out": text}


def clip_files(audio):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(audio) for f in fs if f.endswith(".wav"))


def floor_folder(audio, work):
    """ingest_floor reads DIR/clip-00000.wav ...: a flat folder of links to the same clips."""
    flat = os.path.join(work, "floor-" + os.path.basename(os.path.normpath(audio)))
    shutil.rmtree(flat, ignore_errors=True)
    os.makedirs(flat)
    files = clip_files(audio)
    for i, path in enumerate(files):
        os.symlink(os.path.abspath(path), os.path.join(flat, f"clip-{i:05d}.wav"))
    return flat, len(files)


class Contestants:
    def __init__(self, args):
        self.args = args
        self.env1 = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        self.env_default = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        self.store = os.path.join(args.work, "store")

    def pipe(self, audio):
        shutil.rmtree(self.store, ignore_errors=True)
        return run([self.args.pipe, "ingest", "folder", "--path", f"folder={os.path.abspath(audio)}",
                    "--out", self.store, "--threads", str(self.args.threads)], self.env1)

    def floor(self, flat, clips):
        return run([self.args.floor, flat, str(clips), str(self.args.threads)], self.env1)

    def python(self, audio, env):
        return run([self.args.python, os.path.join(os.path.dirname(__file__), "python_reference.py"), audio,
                    "--workers", str(self.args.threads)], env)


def floor_wall(r):
    """The end-to-end seconds ingest_floor prints ("end to end: N clips, T threads, S s, ...")."""
    for line in r["out"].splitlines():
        if line.startswith("end to end:"):
            return float(line.split(",")[2].split()[0])
    sys.exit("ingest_floor printed no 'end to end:' line:\n" + r["out"])


def describe(name, r):
    return f"{name} {r['wall']:6.2f} s wall {r['cpu']:6.2f} s CPU {r['rss']:5.0f} MiB"


def alternate(pairs, first, second, label_first, label_second, extra=None):
    """`pairs` rounds of first/second (order flipped each round); per round the ratios second/first."""
    walls, cpus, rows = [], [], []
    for i in range(pairs):
        if i % 2 == 0:
            a = first(); b = second()
        else:
            b = second(); a = first()
        more = extra() if extra else []  # [(label, run)], printed with their ratio to `first`
        rows.append((a, b, dict(more)))
        walls.append(b["wall"] / a["wall"]); cpus.append(b["cpu"] / a["cpu"])
        line = (f"  pair {i + 1:2d}: {describe(label_first, a)} | {describe(label_second, b)} | "
                f"ratio wall {walls[-1]:.3f} CPU {cpus[-1]:.3f}")
        for label, r in more:
            line += f"\n           {describe(label, r)}"
        print(line, flush=True)
    return walls, cpus, rows


def representations(c, args):
    """The SPS four-representation set (one FeatureSet, as a worker computes it) against the sum of the
    four librosa/gammatone references, and ffmamba-seld's FOA 7-channel input against the SELD
    baseline's numpy code: ms per 10-s clip on one core each, in alternating rounds."""
    script = os.path.join(os.path.dirname(__file__), "python_representations.py")
    check = subprocess.run([args.python, "-c", "import librosa, gammatone"], capture_output=True)
    if check.returncode != 0:
        print(f"representation references skipped ({args.python} lacks librosa or gammatone: "
              "pip install librosa==0.11.0 gammatone==1.0.3)")
        return

    def pipe_ms():
        out = run([args.pipe, "bench", "--representations-only", "--representations", "sps-dcase2020", "ffmamba-seld"],
                  c.env1)["out"]
        rows = {}
        for line in out.splitlines():
            cells = line.split()
            if cells and cells[0] in ("sps-dcase2020", "ffmamba-seld"):
                rows[(cells[0], " ".join(cells[1:-1]))] = float(cells[-1])
        return rows[("sps-dcase2020", "all 4, one FeatureSet")], rows[("ffmamba-seld", "foa7 (foa)")], out

    def python_ms():
        out = run([args.python, script], c.env1)["out"]
        rows = {line[:40].strip(): float(line[40:].split()[0]) for line in out.splitlines() if "ms per clip" in line}
        sps = sum(v for k, v in rows.items() if k.startswith("sps "))
        return sps, rows["seld foa7 (baseline numpy)"], out

    print(f"representations, one core, ms per 10-s clip; ratio = reference / pipe, {args.representation_rounds} rounds:")
    sps_ratios, foa_ratios = [], []
    for i in range(args.representation_rounds):
        if i % 2 == 0:
            p = pipe_ms(); q = python_ms()
        else:
            q = python_ms(); p = pipe_ms()
        sps_ratios.append(q[0] / p[0]); foa_ratios.append(q[1] / p[1])
        print(f"  round {i + 1}: SPS set pipe {p[0]:7.1f} ms, librosa+gammatone sum {q[0]:7.1f} ms, ratio "
              f"{sps_ratios[-1]:.2f} | FOA 7-ch pipe {p[1]:6.1f} ms, SELD baseline numpy {q[1]:6.1f} ms, ratio "
              f"{foa_ratios[-1]:.2f}", flush=True)
    print(f"=> SPS four-representation set: median ratio {statistics.median(sps_ratios):.2f} (goal >= 8); "
          f"FOA 7-channel input: median ratio {statistics.median(foa_ratios):.2f} (goal >= 3)")
    print("  last reference run:")
    print("".join("    " + line + "\n" for line in q[2].strip().splitlines()), end="")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--audio", required=True, help="folder of the bench clips (pipe bench --clips-only)")
    parser.add_argument("--work", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=9)
    parser.add_argument("--python-pairs", type=int, default=5, help="0: skip the Python reference")
    parser.add_argument("--python", default="python3", help="interpreter with librosa 0.11, soundfile, h5py")
    parser.add_argument("--large", help="a 10x larger clip folder: peak RSS of pipe ingest there vs --audio")
    parser.add_argument("--representation-rounds", type=int, default=5,
                        help="rounds of the SPS-set and FOA comparison (0: skip)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    c = Contestants(args)
    flat, clips = floor_folder(args.audio, args.work)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"side by side: {clips} clips of {args.audio}, {args.threads} threads, OPENBLAS_NUM_THREADS=1, "
          f"load average {' '.join(load)} at the start ({os.cpu_count()} cores)")
    # One unmeasured run of each warms the page cache.
    c.floor(flat, clips); c.pipe(args.audio)
    setup = statistics.median(run([args.floor, flat, "1", "1"], c.env1)["cpu"] for _ in range(3))

    def floor():
        r = c.floor(flat, clips)
        r["process wall"], r["process cpu"] = r["wall"], r["cpu"]
        r["wall"], r["cpu"] = floor_wall(r), r["cpu"] - setup
        return r

    print(f"C floor (decode + mix + soxr HQ chunked + fix_length + fftwf log-mel, no writing; its own wall, CPU less "
          f"its {setup:.2f} s setup) vs pipe ingest (default pipeline, whole process: HDF5 write, SHA-256, manifest); "
          f"ratio = pipe / floor, {args.pairs} pairs:")
    walls, cpus, rows = alternate(args.pairs, floor, lambda: c.pipe(args.audio), "floor", "pipe")
    pipe_rss = statistics.median(r[1]["rss"] for r in rows)
    print(f"=> pipe ingest / C floor: median wall ratio {statistics.median(walls):.3f}, median CPU ratio "
          f"{statistics.median(cpus):.3f} (goal <= 1.15); process to process: wall "
          f"{statistics.median(b['wall'] / a['process wall'] for a, b, _ in rows):.3f}, CPU "
          f"{statistics.median(b['cpu'] / a['process cpu'] for a, b, _ in rows):.3f}; median peak RSS floor "
          f"{statistics.median(r[0]['rss'] for r in rows):.0f} MiB, pipe {pipe_rss:.0f} MiB")
    print("C floor's own stage medians (last run):")
    print("".join("    " + line + "\n" for line in rows[-1][0]["out"].strip().splitlines()), end="")

    if args.python_pairs > 0:
        check = subprocess.run([args.python, "-c", "import librosa, soundfile, h5py"], capture_output=True)
        if check.returncode != 0:
            print(f"python reference skipped ({args.python} lacks librosa/soundfile/h5py: "
                  "pip install librosa==0.11.0 soundfile h5py)")
        else:
            print(f"pipe ingest vs the Python reference ({args.threads} worker processes); ratio = python / pipe "
                  f"with OPENBLAS_NUM_THREADS=1; each round also runs the same script with default BLAS threads "
                  f"and the C floor, {args.python_pairs} rounds:")
            walls, cpus, rows = alternate(args.python_pairs, lambda: c.pipe(args.audio),
                                          lambda: c.python(args.audio, c.env1), "pipe", "python",
                                          extra=lambda: [("python, default BLAS", c.python(args.audio, c.env_default)),
                                                         ("C floor", floor())])
            median = lambda f: statistics.median(f(r) for r in rows)  # noqa: E731
            print(f"=> python / pipe ingest: median wall ratio {statistics.median(walls):.2f}, median CPU ratio "
                  f"{statistics.median(cpus):.2f} (goal >= 5); default BLAS threads: median wall ratio "
                  f"{median(lambda r: r[2]['python, default BLAS']['wall'] / r[0]['wall']):.2f}, CPU ratio "
                  f"{median(lambda r: r[2]['python, default BLAS']['cpu'] / r[0]['cpu']):.2f}; peak RSS of its "
                  f"largest process {median(lambda r: r[1]['rss']):.0f} MiB")
            print(f"   the yardstick's own headroom: python / C floor in the same rounds, median wall ratio "
                  f"{median(lambda r: r[1]['wall'] / r[2]['C floor']['wall']):.2f}, CPU ratio "
                  f"{median(lambda r: r[1]['cpu'] / r[2]['C floor']['cpu']):.2f}")

    if args.representation_rounds > 0:
        representations(c, args)

    if args.large:
        large = c.pipe(args.large)
        n = len(clip_files(args.large))
        print(f"peak RSS of pipe ingest: {pipe_rss:.0f} MiB at {clips} clips (median), {large['rss']:.0f} MiB at "
              f"{n} clips ({large['wall']:.1f} s, {n / large['wall']:.1f} clips/s); goal < 512 MiB and independent "
              f"of the corpus size")
    shutil.rmtree(c.store, ignore_errors=True)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"load average {' '.join(load)} at the end")


if __name__ == "__main__":
    main()
