"""The stream benchmark's Python side, on the store `pipe bench-stream` wrote: the same shuffled
batches (acousticpipe's order, equal to the Swift stream's) read three ways, after a warm-up read,
alternating round by round so each figure sees the same machine load:

- acousticpipe batches: each feature row as its whole chunk, one os.preadv at the chunk's offset;
- a PyTorch-style Dataset: one h5py row read per __getitem__, collated into a batch with numpy;
- h5py whole-shard slices: every shard read with one slice (the issue's ~7,000 rows/s ceiling of h5py).

With --pipe PIPE, each round also runs `PIPE bench-stream --reuse` on the same store (the Swift
stream at 1 and 2 reader threads), so the Swift and Python figures alternate in one run.

Usage: python_stream.py STORE [--batch 64] [--rounds 3] [--pipe .build/release/pipe]
"""

import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "python"))
import acousticpipe  # noqa: E402
import h5py  # noqa: E402


def acousticpipe_batches(table, batch, columns):
    count = nbytes = 0
    it = table.batches(batch, columns=columns, seed=0, epoch=1, verify=False)
    for b in it:
        count += 1
        nbytes += b["features/logmel"].nbytes
    it.close()
    return count * batch, nbytes


def h5py_rows(table, plan, files):
    starts = table._starts
    nbytes = rows = 0
    for batch_rows in plan:
        items = []
        for row in batch_rows:  # __getitem__(row): one h5py read of one row
            shard = int(np.searchsorted(starts[1:], row, side="right"))
            items.append(files[shard]["features/logmel"][row - starts[shard]])
        nbytes += np.stack(items).nbytes
        rows += len(batch_rows)
    return rows, nbytes


def h5py_shards(files):
    nbytes = rows = 0
    for handle in files:
        values = handle["features/logmel"][:]
        nbytes += values.nbytes
        rows += len(values)
    return rows, nbytes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pipe", help="pipe executable: alternate with its bench-stream on this store")
    args = parser.parse_args()
    table = acousticpipe.open(args.store)
    columns = ["features/logmel"]
    for _ in table.batches(args.batch, columns=columns, seed=0, epoch=0):
        pass  # warm-up: checksums and page cache
    plan = table.batches(args.batch, columns=columns, seed=0, epoch=1).plan
    files = [h5py.File(s.path, "r") for s in table.manifest.segments]
    ways = [("python acousticpipe batches (whole-chunk preadv)", lambda: acousticpipe_batches(table, args.batch, columns)),
            ("python h5py one row per __getitem__", lambda: h5py_rows(table, plan, files)),
            ("python h5py whole-shard slices", lambda: h5py_shards(files))]
    results = {name: [] for name, _ in ways}
    for _ in range(args.rounds):
        if args.pipe:
            work = os.path.dirname(os.path.abspath(args.store))
            out = subprocess.run([args.pipe, "bench-stream", "--work", work, "--reuse", "--readers", "1,2",
                                  "--batch", str(args.batch)], check=True, capture_output=True, text=True).stdout
            for match in re.finditer(r"swift stream, (\d+) reader\(s\):.* ([\d.]+) clips/s, ([\d.]+) MB/s", out):
                results.setdefault(f"swift stream, {match.group(1)} reader(s)", []).append(
                    (float(match.group(2)), float(match.group(3))))
        for name, run in ways:
            started = time.perf_counter()
            rows, nbytes = run()
            seconds = time.perf_counter() - started
            results[name].append((rows / seconds, nbytes / seconds / 1e6))
    for name, figures in results.items():
        rates = sorted(r for r, _ in figures)
        print(f"{name}: {' '.join(f'{r:.0f}' for r, _ in figures)} clips/s over {args.rounds} rounds "
              f"(median {rates[len(rates) // 2]:.0f} clips/s, {sorted(m for _, m in figures)[len(figures) // 2]:.0f} MB/s)")
    for handle in files:
        handle.close()


if __name__ == "__main__":
    main()
