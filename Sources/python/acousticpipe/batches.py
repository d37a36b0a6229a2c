"""Shuffled, partitioned, resumable batches of a table: the Swift ``Stream`` module's order in Python.

    it = t.batches(64, columns=["features/logmel", "meta/label"], seed=7, epoch=0, rank=0, world=2,
                   where={"split": "train", "labeled": True})
    for batch in it:                       # dicts of numpy arrays, always with "meta/id"
        x, y = batch["features/logmel"], batch["meta/label"]
        saved = it.state()                 # {"epoch", "batch", "seed", "rank", "world"}
    t.batches(64, ..., state=saved)        # the same remaining batches
    t.batches(64, ..., mixup=0.3, freq_mixstyle=(0.3, 0.4), freq_mask=8, time_mask=20, freq_shift=4)

Online augmentation (``mixup``, ``freq_mixstyle=(alpha, p)``, ``freq_mask``, ``time_mask``,
``freq_shift``: the values of ``pipe train``'s flags) runs on the one ``features/`` column of each
batch in the Swift stream's order (frequency shift, frequency mask, time mask, Freq-MixStyle, mixup)
with the Swift stream's draws for (seed, epoch, batch, rank) (see ``acousticpipe.draws``); mixup
adds ``targets/mixup`` [B, K], the mixed soft targets (the requested ``targets/<name>`` column, or
one-hot ``meta/label``).

Whole recordings (variable-length columns): ``crop=T`` cuts one crop of T feature frames per row
and epoch (``crop_hop=H``: every sliding window instead), the variable-length ``targets/`` columns
asked for at the same offset, exactly as ``StreamOptions.crop`` does (``Sources/Stream/FrameCrop.swift``);
the batch then also holds ``"mask"`` [B, T] (1 = a frame of the recording, 0 = padding) and
``"starts"`` (each crop's first frame).

The order is defined in Sources/Stream/EpochPlan.swift and followed here step for step (SplitMix64
keyed by "stream#<epoch>", shard order by Fisher-Yates, a bounded shuffle buffer, rank r taking
positions r, r+world, ... of the first (count // world) * world rows), so the same seed gives the
same rows in the same batches from Swift and from Python. Each batch reads a feature row as its
whole chunk with one ``os.preadv`` at the chunk's offset (``acousticpipe.rowchunks``); other
columns, per file, one slice per run of consecutive rows (h5py fancy indexing of scattered rows is
several times slower than one slice per row here, as HDF5's union selections are).
"""

import bisect
import hashlib
import math
import os

import h5py
import numpy as np

from .manifest import ManifestError
from .rowchunks import RowChunks

_MASK = (1 << 64) - 1


class SplitMix64:
    """Sources/Randomness/SplitMix64.swift, bit for bit."""

    def __init__(self, seed, key=None):
        if key is None:
            self.state = seed & _MASK
            return
        digest = 0xCBF29CE484222325
        for byte in key.encode("utf-8"):
            digest = ((digest ^ byte) * 0x100000001B3) & _MASK
        self.state = SplitMix64(seed).next() ^ digest
        self.next()

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def next_unit(self):
        return (self.next() >> 11) * 2.0 ** -53

    def next_int(self, bound):
        return (self.next() * bound) >> 64


_WHERE_KEYS = {"split": "meta/split", "labeled": "meta/label", "variant": "meta/variant",
               "class": "meta/label", "corpus": "meta/source"}


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def epoch_plan(segments, *, batch_size, seed, epoch, shuffle=True, shuffle_buffer=4096, rank=0, world=1,
               drop_last=True, weights=None):
    """The batches (lists of table rows) of one epoch for one rank: EpochPlan.swift's steps."""
    g = SplitMix64(seed, f"stream#{epoch}")
    if weights is not None:
        rows = [row for segment in segments for row in segment]
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        draws = sum(1 for weight in weights if weight > 0)
        order = [rows[bisect.bisect_right(cumulative, g.next_unit() * total)] for _ in range(draws)] if total > 0 else []
    elif shuffle:
        segment_order = list(range(len(segments)))
        for i in range(len(segment_order) - 1, 0, -1):
            j = g.next_int(i + 1)
            segment_order[i], segment_order[j] = segment_order[j], segment_order[i]
        buffer, order = [], []
        for index in segment_order:
            for row in segments[index]:
                if len(buffer) < shuffle_buffer:
                    buffer.append(row)
                else:
                    j = g.next_int(shuffle_buffer)
                    order.append(buffer[j])
                    buffer[j] = row
        while buffer:
            j = g.next_int(len(buffer))
            order.append(buffer[j])
            buffer[j] = buffer[-1]
            buffer.pop()
    else:
        order = [row for segment in segments for row in segment]
    per_rank = len(order) // world
    if drop_last:
        per_rank -= per_rank % batch_size
    mine = order[rank:per_rank * world:world]
    return [mine[i:i + batch_size] for i in range(0, len(mine), batch_size)]


def _holder(table, segment, name, local):
    """The table whose file holds column ``name`` for ``segment``, and ``local`` as that file's rows."""
    while name not in table.manifest.own_columns:
        local = np.asarray(table.manifest.segments[segment].parent_rows, dtype=np.int64)[local]
        table = table._parent
    return table, local


def _read_runs(table, segment, name, local, positions):
    """Column ``name`` at sorted rows ``local`` of ``segment`` (batch places ``positions``): through
    the view chain to the file holding the column, then one slice per run of consecutive file rows;
    yields (batch places, values) per run, a repeated row (sampling with replacement) read once."""
    while name not in table.manifest.own_columns:
        local = np.asarray(table.manifest.segments[segment].parent_rows, dtype=np.int64)[local]
        table = table._parent
    dataset = table._file(segment)[name]
    if h5py.check_string_dtype(dataset.dtype) is not None:
        dataset = dataset.asstr()
    unique, inverse = np.unique(local, return_inverse=True)
    breaks = np.flatnonzero(np.diff(unique) != 1) + 1
    start = 0
    for run in np.split(unique, breaks):
        values = np.asarray(dataset[int(run[0]):int(run[-1]) + 1])
        mask = (inverse >= start) & (inverse < start + len(run))
        yield positions[mask], values[inverse[mask] - start]
        start += len(run)


class Batches:
    """An iterator over one epoch's batches of a ``Table`` (see the module's doc)."""

    def __init__(self, table, batch_size, columns=None, shuffle=True, seed=0, epoch=0, rank=0, world=1,
                 drop_last=True, where=None, shuffle_buffer=4096, sampling="natural", verify=True, state=None,
                 mixup=None, freq_mixstyle=None, freq_mask=None, time_mask=None, freq_shift=None,
                 crop=None, crop_hop=None):
        if batch_size < 1:
            raise ValueError(f"batch size {batch_size} must be at least 1")
        if world < 1 or not 0 <= rank < world:
            raise ValueError(f"rank {rank} must be in 0..<{world}")
        if shuffle_buffer < 1:
            raise ValueError(f"shuffle buffer {shuffle_buffer} must be at least 1 row")
        self.table = table
        if columns is None:
            columns = [name for name in table.columns if name.startswith("features/")][:1] + ["meta/label"]
        self.columns = ["meta/id"] + [name for name in columns if name != "meta/id"]
        for name in self.columns:
            table._require(name)
        self._crop = _CropLayout(table, self.columns, crop, crop_hop)
        where = dict(where or {})
        unknown = sorted(set(where) - set(_WHERE_KEYS))
        if unknown:
            raise KeyError(f"unknown where key(s) {unknown} (known: {sorted(_WHERE_KEYS)})")
        keep = np.ones(len(table), dtype=bool)
        for key, value in where.items():
            column = table.column(_WHERE_KEYS[key])
            if key == "labeled":
                keep &= (column >= 0) == bool(value)
            elif key == "class":
                indices = []
                for name in _as_list(value):
                    if name not in table.classes:
                        raise KeyError(f"no class '{name}' in {table.manifest.path} (classes: {', '.join(table.classes)})")
                    indices.append(table.classes.index(name))
                keep &= np.isin(column, indices)
            elif key in ("split", "corpus"):
                keep &= np.isin(column.astype(str), [str(v) for v in _as_list(value)])
            else:
                keep &= np.isin(column, [int(v) for v in _as_list(value)])
        starts = table._starts
        self._segments = [np.flatnonzero(keep[starts[i]:starts[i + 1]]).astype(np.int64) + starts[i]
                          for i in range(len(starts) - 1)]
        segments = [s.tolist() for s in self._segments]
        weights = None
        if sampling != "natural":
            labels = table.column("meta/label")
            rows = [row for segment in segments for row in segment]
            if sampling == "balanced":
                counts = {}
                for row in rows:
                    if labels[row] >= 0:
                        counts[int(labels[row])] = counts.get(int(labels[row]), 0) + 1
                weights = [1.0 / counts[int(labels[r])] if labels[r] >= 0 else 0.0 for r in rows]
            elif isinstance(sampling, dict):
                weights = [float(sampling.get(table.classes[labels[r]], 0.0)) if labels[r] >= 0 else 0.0 for r in rows]
            else:
                raise ValueError(f"sampling {sampling!r}: 'natural', 'balanced' or a dict of class weights")
        self._items = None
        if self._crop.hop is not None:
            self._items, segments, counts = self._crop.windows(segments)
            if weights is not None:
                weights = [w for w, n in zip(weights, counts) for _ in range(n)]
        selected = sum(len(s) for s in segments)
        if selected // world == 0 or (drop_last and selected // world < batch_size):
            raise ValueError(f"{table.manifest.path}: the filter keeps {selected} rows, {selected // world} per rank "
                             f"of {world}: fewer than one batch of {batch_size}")
        start = 0
        if state is not None:
            if (state["seed"], state["rank"], state["world"]) != (seed, rank, world):
                raise ValueError(f"state saved for seed {state['seed']}, rank {state['rank']}/{state['world']}; "
                                 f"this iterator is seed {seed}, rank {rank}/{world}")
            epoch, start = int(state["epoch"]), int(state["batch"])
        self.seed, self.epoch, self.rank, self.world = seed, epoch, rank, world
        self.plan = epoch_plan(segments, batch_size=batch_size, seed=seed, epoch=epoch, shuffle=shuffle,
                               shuffle_buffer=shuffle_buffer, rank=rank, world=world, drop_last=drop_last,
                               weights=weights)
        if start > len(self.plan):
            raise ValueError(f"state batch {start} of epoch {epoch}, which has {len(self.plan)} batches")
        self._next = start
        self._verify = verify
        self._verified = set()
        self._chunks = {}
        self._scalars = {}
        self._row_shapes = {name: tuple(row_shape) for name, _, row_shape in table.manifest.columns}
        self._augment = self._augmentation(mixup, freq_mixstyle, freq_mask, time_mask, freq_shift)

    def __len__(self):
        return len(self.plan)

    def __iter__(self):
        return self

    def state(self):
        """Where the iterator stands: pass it as ``state=`` to continue with the same next batch."""
        return {"epoch": self.epoch, "batch": self._next, "seed": self.seed, "rank": self.rank, "world": self.world}

    def __next__(self):
        if self._next >= len(self.plan):
            raise StopIteration
        self._next += 1
        return self.batch(self._next - 1)

    def batch(self, index):
        """Batch ``index`` of the epoch, read and augmented (any order, e.g. one worker's share)."""
        entries = self.plan[index]
        if self._crop.frames is not None:
            out = self._read_cropped(entries, index)
        else:
            out = self.read(np.asarray(entries, dtype=np.int64))
        if self._augment:
            self._apply(out, index)
        return out

    def _augmentation(self, mixup, freq_mixstyle, freq_mask, time_mask, freq_shift):
        """The online augmentations asked for, checked as ``pipe train`` checks its flags."""
        steps = []
        if freq_shift is not None:
            steps.append(("freq_shift", int(freq_shift)))
        if freq_mask is not None:
            steps.append(("freq_mask", int(freq_mask)))
        if time_mask is not None:
            steps.append(("time_mask", int(time_mask)))
        if freq_mixstyle is not None:
            if len(freq_mixstyle) != 2:
                raise ValueError(f"freq_mixstyle {freq_mixstyle!r}: (alpha, p)")
            steps.append(("freq_mixstyle", (float(freq_mixstyle[0]), float(freq_mixstyle[1]))))
        if mixup is not None:
            steps.append(("mixup", float(mixup)))
        if not steps:
            return []
        features = [name for name in self.columns if name.startswith("features/")]
        if len(features) != 1:
            raise ValueError(f"online augmentation needs exactly one features/ column, got {features}")
        self._feature = features[0]
        shape = dict((name, tuple(row_shape)) for name, _, row_shape in self.table.manifest.columns).get(self._feature)
        if shape is None or len(shape) != 3:
            raise ValueError(f"online augmentation needs [C, T, F] features, '{self._feature}' is {shape}")
        _, frames, bins = shape
        for name, value in steps:
            if name == "mixup" and not (value > 0 and math.isfinite(value)):
                raise ValueError(f"mixup alpha {value} must be > 0")
            if name == "freq_mixstyle":
                alpha, p = value
                if not (alpha > 0 and math.isfinite(alpha)):
                    raise ValueError(f"Freq-MixStyle alpha {alpha} must be > 0")
                if not 0 <= p <= 1:
                    raise ValueError(f"Freq-MixStyle p {p} is not a probability in [0, 1]")
            if name == "freq_mask" and not 1 <= value <= bins:
                raise ValueError(f"frequency mask {value} must be 1..{bins} bins")
            if name == "time_mask" and not 1 <= value <= frames:
                raise ValueError(f"time mask {value} must be 1..{frames} frames")
            if name == "freq_shift" and not 2 <= value <= bins:
                raise ValueError(f"frequency shift range {value} must be 2..{bins} (shifts are 1..range-1)")
        if any(name == "mixup" for name, _ in steps):
            targets = [name for name in self.columns if name.startswith("targets/")]
            if len(targets) > 1:
                raise ValueError(f"mixup mixes one soft-target column, got {targets}")
            self._mixed = targets[0] if targets else None
            if self._mixed is None and "meta/label" not in self.columns:
                raise ValueError("mixup needs meta/label or a targets/<name> column in columns")
        return steps

    def _apply(self, out, index):
        """The augmentations on batch ``index``: transform k draws from the Swift stream's generator k."""
        from . import augment as aug
        from .draws import (draw_freq_mixstyle, draw_freq_shift, draw_mask, draw_mixup, stream_random)

        x = out[self._feature]
        rows, channels, frames, bins = x.shape
        for k, (name, value) in enumerate(self._augment):
            random = stream_random(self.seed, self.epoch, index, self.rank, k)
            if name == "freq_shift":
                x = aug.freq_shift(x, draw_freq_shift(rows, value, random))
            elif name == "freq_mask":
                x = aug.mask(x, *draw_mask(rows * channels, bins, value, random), axis="frequency")
            elif name == "time_mask":
                x = aug.mask(x, *draw_mask(rows * channels, frames, value, random), axis="time")
            elif name == "freq_mixstyle":
                drawn = draw_freq_mixstyle(rows, value[0], value[1], random)
                if drawn is not None:
                    x = aug.freq_mixstyle(x, *drawn)
            else:
                targets = (out[self._mixed] if self._mixed is not None
                           else aug.soft_targets(out["meta/label"], len(self.table.classes)))
                x, out["targets/mixup"] = aug.mixup(x, targets, *draw_mixup(rows, value, random))
        out[self._feature] = x

    def read(self, rows, skip=()):
        """The batch of table rows ``rows``: per segment and column, one slice per run of rows."""
        table = self.table
        rows = np.asarray(rows, dtype=np.int64)
        segments = np.searchsorted(np.asarray(table._starts[1:]), rows, side="right")
        out = {}
        for name in self.columns:
            if name in skip:
                continue
            if not self._row_shapes.get(name):
                # A scalar column (ids, labels, …) is read whole once, as the Swift stream does:
                # one slice per row of a 4096-row chunk is what made Python batches slow.
                if name not in self._scalars:
                    self._scalars[name] = table.column(name)
                out[name] = self._scalars[name][rows]
                continue
            batch = None
            for segment in np.unique(segments):
                segment = int(segment)
                positions = np.flatnonzero(segments == segment)
                local = rows[positions] - table._starts[segment]
                order = np.argsort(local, kind="stable")
                self._check(table, segment, name)
                chunks = self._row_chunks(segment, name)
                if chunks is not None:
                    if batch is None:
                        batch = np.empty((len(rows),) + chunks.row_shape, dtype=np.float32)
                    _, file_rows = _holder(table, segment, name, local)
                    for position, file_row in zip(positions, file_rows):
                        chunks.read(int(file_row), batch[position])
                    continue
                for run_positions, values in _read_runs(table, segment, name, local[order], positions[order]):
                    if batch is None:
                        batch = np.empty((len(rows),) + values.shape[1:], dtype=values.dtype)
                    batch[run_positions] = values
            out[name] = batch
        return out

    def _row_chunks(self, segment, name):
        """``RowChunks`` of column ``name`` in the file holding it for ``segment`` (None: read by slices)."""
        key = (segment, name)
        if key not in self._chunks:
            holder, _ = _holder(self.table, segment, name, np.zeros(0, dtype=np.int64))
            dataset = holder._file(segment)[name]
            self._chunks[key] = RowChunks.of(holder.manifest.segments[segment].path, dataset) if name.startswith("features/") else None
        return self._chunks[key]

    def close(self):
        """Closes the row-read file descriptors (the table's h5py files stay with the table)."""
        for chunks in self._chunks.values():
            if chunks is not None:
                chunks.close()
        self._chunks.clear()

    def _read_cropped(self, entries, index):
        """Cropped rows (Swift: ``StreamTable.readCroppedBatch``): features [B, C, T, F], frame targets
        [B, T / r, ...], the mask and the starts; the other columns as whole rows."""
        crop, t = self._crop, self._crop.frames
        rows, starts = [], []
        for slot, entry in enumerate(entries):
            if self._items is not None:
                row, start = self._items[entry]
            else:
                row = entry
                usable = crop.usable(row)
                g = SplitMix64(self.seed, f"crop#{self.epoch}#{self.rank}#{index}#{slot}")
                start = g.next_int(max(0, usable - t) // crop.ratio + 1) * crop.ratio
            rows.append(row)
            starts.append(start)
        rows = np.asarray(rows, dtype=np.int64)
        out = self.read(rows, skip=crop.columns)
        mask = np.zeros((len(rows), t), dtype=np.float32)
        for name in crop.columns:
            ratio = crop.ratios[name]
            frames = t // ratio
            shape = crop.frame_shapes[name]
            batch = np.zeros((len(rows), frames) + shape, dtype=np.float32)
            for b, (row, start) in enumerate(zip(rows.tolist(), starts)):
                count = max(0, min(t, crop.usable(row) - start))
                if count == 0:
                    continue
                if name == crop.feature:
                    mask[b, :count] = 1
                first, covered = start // ratio, (count + ratio - 1) // ratio
                batch[b, :covered] = crop.frames_of(name, row, first, covered)
            # The feature's frames time-major [B, T, C, F] -> [B, C, T, F], as the Swift batch.
            out[name] = np.ascontiguousarray(np.moveaxis(batch, 1, 2)) if name == crop.feature else batch
        out["mask"] = mask
        out["starts"] = np.asarray(starts, dtype=np.int64)
        return out

    def _check(self, table, segment, name):
        """The SHA-256 of the file holding ``name`` for ``segment``, the first time it is read."""
        if not self._verify:
            return
        while name not in table.manifest.own_columns:
            table = table._parent
        info = table.manifest.segments[segment]
        if info.path in self._verified or info.sha256 is None:
            return
        if not os.path.exists(info.path):
            raise ManifestError(f"missing file {info.path}, listed in {table.manifest.path}")
        digest = hashlib.sha256()
        with open(info.path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != info.sha256:
            raise ManifestError(f"checksum mismatch for {info.path}: {table.manifest.path} says {info.sha256}, "
                                f"file has {digest.hexdigest()}")
        self._verified.add(info.path)


class _CropLayout:
    """Which columns a crop cuts and how (Swift: ``CropLayout``): the variable-length feature column
    (time axis 1) and the variable-length target columns (time axis 0), ``ratios[name]`` feature
    frames per frame of each; refuses what the Swift stream refuses."""

    def __init__(self, table, columns, frames, hop):
        axes, rates = table.manifest.time_axes, table.manifest.frame_rates
        self.table, self.frames, self.hop = table, frames, hop
        variable = [name for name in columns if name in axes]
        if frames is None:
            if variable:
                raise ValueError(f"'{variable[0]}' holds rows of their own lengths: a batch needs fixed-length crops (crop=T)")
            if hop is not None:
                raise ValueError("crop_hop needs crop")
            self.columns = []
            return
        if frames < 1 or (hop is not None and hop < 1):
            raise ValueError(f"crop {frames} and crop_hop {hop} must be at least 1 frame")
        features = [name for name in variable if name.startswith("features/")]
        if len(features) != 1 or axes[features[0]] != 1:
            raise ValueError(f"a crop cuts one variable-length [C, T, F] features/ column; asked for {variable}")
        self.feature = features[0]
        self.columns = [self.feature] + [name for name in variable if name != self.feature]
        self.ratios = {self.feature: 1}
        for name in self.columns[1:]:
            if axes[name] != 0 or name not in rates or self.feature not in rates:
                raise ValueError(f"frame targets '{name}' need a [T, ...] shape and frame rates in the manifest")
            exact = rates[self.feature] / rates[name]
            if exact < 1 or abs(exact - round(exact)) > 1e-9:
                raise ValueError(f"'{self.feature}' has {rates[self.feature]} frames/s, '{name}' {rates[name]}: "
                                 "not a whole number of feature frames per label frame")
            ratio = int(round(exact))
            if frames % ratio or (hop is not None and hop % ratio):
                raise ValueError(f"crop {frames} / hop {hop} frames is not a whole number of label frames ({ratio} each)")
            self.ratios[name] = ratio
        self.ratio = max(self.ratios.values())
        specs = {name: shape for name, _, shape in table.manifest.columns}
        self.frame_shapes = {name: tuple(specs[name]) for name in self.columns}
        self._offsets = {}

    def _place(self, name, row):
        """(h5py dataset, offsets) of the file holding ``name`` and the file row of table row ``row``."""
        table = self.table
        segment = bisect.bisect_right(table._starts, row) - 1
        local = row - table._starts[segment]
        while name not in table.manifest.own_columns:
            local = table.manifest.segments[segment].parent_rows[local]
            table = table._parent
        key = (table.manifest.segments[segment].path, name)
        if key not in self._offsets:
            handle = table._file(segment)
            self._offsets[key] = (handle[name], np.asarray(handle[name + "_offsets"][...], dtype=np.int64))
        dataset, offsets = self._offsets[key]
        return dataset, offsets, local

    def length(self, name, row):
        _, offsets, local = self._place(name, row)
        return int(offsets[local + 1] - offsets[local])

    def usable(self, row):
        """Feature frames a crop may use: no more than every frame target covers."""
        frames = self.length(self.feature, row)
        for name in self.columns[1:]:
            frames = min(frames, self.length(name, row) * self.ratios[name])
        return frames

    def frames_of(self, name, row, first, count):
        dataset, offsets, local = self._place(name, row)
        return dataset[offsets[local] + first:offsets[local] + first + count]

    def windows(self, segments):
        """Every sliding window (row, start) of the selected rows, grouped by segment."""
        items, grouped, counts = [], [], []
        for rows in segments:
            group = []
            for row in rows:
                usable, starts = self.usable(row), [0]
                while starts[-1] + self.frames < usable:
                    starts.append(starts[-1] + self.hop)
                for start in starts:
                    group.append(len(items))
                    items.append((row, start))
                counts.append(len(starts))
            grouped.append(group)
        return items, grouped, counts
