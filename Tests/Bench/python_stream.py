"""The stream benchmark's Python side, on the store `pipe bench-stream` wrote: the same shuffled
batches (acousticpipe's order, equal to the Swift stream's) read two ways, after a warm-up read:

- acousticpipe batches: one gathered h5py read per shard and batch;
- a PyTorch-style Dataset: one h5py row read per __getitem__, collated into a batch with numpy.

Usage: python_stream.py STORE [--batch 64]
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "python"))
import acousticpipe  # noqa: E402
import h5py  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    table = acousticpipe.open(args.store)
    columns = ["features/logmel"]
    for _ in table.batches(args.batch, columns=columns, seed=0, epoch=0):
        pass  # warm-up: checksums and page cache
    started = time.perf_counter()
    count = nbytes = 0
    for batch in table.batches(args.batch, columns=columns, seed=0, epoch=1, verify=False):
        count += 1
        nbytes += batch["features/logmel"].nbytes
    seconds = time.perf_counter() - started
    print(f"python acousticpipe batches: {count} batches of {args.batch} in {seconds:.2f} s: "
          f"{count / seconds:.1f} batches/s, {count * args.batch / seconds:.0f} clips/s, {nbytes / seconds / 1e6:.0f} MB/s")

    plan = table.batches(args.batch, columns=columns, seed=0, epoch=1).plan
    segments = table.manifest.segments
    files = [h5py.File(s.path, "r") for s in segments]
    starts = table._starts
    started = time.perf_counter()
    nbytes = 0
    for rows in plan:
        items = []
        for row in rows:  # __getitem__(row): one h5py read of one row
            shard = int(np.searchsorted(starts[1:], row, side="right"))
            items.append(files[shard]["features/logmel"][row - starts[shard]])
        batch = np.stack(items)
        nbytes += batch.nbytes
    seconds = time.perf_counter() - started
    print(f"python h5py one row per __getitem__: {len(plan)} batches of {args.batch} in {seconds:.2f} s: "
          f"{len(plan) / seconds:.1f} batches/s, {len(plan) * args.batch / seconds:.0f} clips/s, {nbytes / seconds / 1e6:.0f} MB/s")
    for handle in files:
        handle.close()


if __name__ == "__main__":
    main()
