"""A store or view as one table: rows in manifest order, columns by their HDF5 names."""

import bisect

import h5py
import numpy as np

from .manifest import ManifestError

_SPLIT_ORDER = ("train", "validation", "test", "unlabeled", "unused")


class Table:
    """Rows of a store or view. For a view, a column its own files hold (an override or an
    addition) comes from them, every other column from the parent's rows it selected, down to the
    store's shards. Files are opened on first use; ``close()`` (or ``with``) closes them."""

    def __init__(self, manifest):
        self.manifest = manifest
        self._parent = Table(manifest.parent) if manifest.parent is not None else None
        self._starts = [0]
        for segment in manifest.segments:
            self._starts.append(self._starts[-1] + segment.row_count)
        self._specs = {name: (dtype, shape) for name, dtype, shape in manifest.columns}
        self._files = {}

    # -- the table ---------------------------------------------------------------------------

    def __len__(self):
        return self.manifest.row_count

    @property
    def columns(self):
        """Column names, as in the store (``features/logmel64``, ``meta/label`` ...)."""
        return [name for name, _, _ in self.manifest.columns]

    @property
    def classes(self):
        """Class names; ``meta/label`` indexes this list, -1 = unlabeled."""
        return list(self.manifest.classes)

    @property
    def column_classes(self):
        """Class lists of other label columns, e.g. ``{"meta/label_coarse": ["indoor", ...]}``."""
        return dict(self.manifest.column_classes)

    @property
    def splits(self):
        """Rows per value of ``meta/split`` (train, validation, test, unlabeled, unused), in that order."""
        if "meta/split" not in self._specs:
            return {}
        values, counts = np.unique(self.column("meta/split").astype(str), return_counts=True)
        found = dict(zip(values.tolist(), counts.tolist()))
        order = [s for s in _SPLIT_ORDER if s in found] + sorted(s for s in found if s not in _SPLIT_ORDER)
        return {s: found[s] for s in order}

    def indices(self, split):
        """The row numbers whose ``meta/split`` is ``split``."""
        return np.flatnonzero(self.column("meta/split").astype(str) == split)

    def is_variable_length(self, name):
        """Whether column ``name`` keeps each row at its own number of frames."""
        self._require(name)
        return name in self.manifest.time_axes

    def column(self, name):
        """Every row's value of column ``name`` as one numpy array (strings as an object array of str).

        A variable-length column gives an object array of per-row arrays, each in the row's own
        shape (a feature [C, T_i, F], a target [T_i, K]); in the file, row ``i`` is
        ``data[offsets[i]:offsets[i + 1]]`` of ``<name>`` and ``<name>_offsets``, time first."""
        self._require(name)
        parts = [self._segment_values(i, name, None) for i in range(len(self.manifest.segments))]
        if not parts:
            return self._empty(name)
        return np.concatenate(parts)

    def batches(self, batch_size, columns=None, **options):
        """Shuffled, filtered, partitioned batches, the Swift stream's order: see ``acousticpipe.batches``."""
        from .batches import Batches

        return Batches(self, batch_size, columns, **options)

    def __getitem__(self, index):
        """Row ``index`` (negative counts from the end) as a dict of column name to value."""
        try:
            index = int(np.asarray(index).item()) if not isinstance(index, int) else index
        except (TypeError, ValueError):
            raise TypeError(f"rows are read one at a time by number, not by {type(index).__name__}") from None
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"row {index} of a table of {len(self)} rows")
        segment = bisect.bisect_right(self._starts, index) - 1
        local = np.array([index - self._starts[segment]])
        row = {}
        for name in self.columns:
            value = self._segment_values(segment, name, local)[0]
            row[name] = value.item() if isinstance(value, np.generic) else value
        return row

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def __repr__(self):
        return f"<acousticpipe {self.manifest.kind} {self.manifest.path}: {len(self)} rows, {len(self.columns)} columns>"

    # -- files -------------------------------------------------------------------------------

    def close(self):
        for handle in self._files.values():
            handle.close()
        self._files.clear()
        if self._parent is not None:
            self._parent.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _file(self, segment):
        handle = self._files.get(segment)
        if handle is None:
            info = self.manifest.segments[segment]
            try:
                handle = h5py.File(info.path, "r")
            except OSError as error:
                raise ManifestError(f"{info.path}: cannot open ({error}), listed in {self.manifest.path}") from None
            axes = self.manifest.time_axes
            variable = {name + "_offsets" for name in axes if name in self.manifest.own_columns}
            counts = [d.shape[0] - 1 if d.name.lstrip("/") in variable else d.shape[0]
                      for d in _datasets(handle) if d.name.lstrip("/") not in axes]
            rows = min(counts, default=0)
            if rows != info.row_count:
                handle.close()
                raise ManifestError(f"{info.path} has {rows} rows, {self.manifest.path} says {info.row_count}")
            self._files[segment] = handle
        return handle

    # -- values ------------------------------------------------------------------------------

    def _segment_values(self, segment, name, rows):
        """Column ``name`` of segment ``segment``: every row (``rows`` None) or the local ``rows``."""
        if name in self.manifest.own_columns and name in self.manifest.time_axes:
            return self._variable_rows(segment, name, rows)
        if name in self.manifest.own_columns:
            dataset = self._file(segment)[name]
            if h5py.check_string_dtype(dataset.dtype) is not None:
                dataset = dataset.asstr()
            if rows is None:
                return np.asarray(dataset[...])
            if len(rows) == 0:
                return self._empty(name)
            return np.asarray(dataset[np.asarray(rows)])
        kept = np.asarray(self.manifest.segments[segment].parent_rows, dtype=np.int64)
        return self._parent._segment_values(segment, name, kept if rows is None else kept[rows])

    def _variable_rows(self, segment, name, rows):
        """Rows of a variable-length column: two slices each (its offsets, then its frames)."""
        handle = self._file(segment)
        data, offsets = handle[name], np.asarray(handle[name + "_offsets"][...], dtype=np.int64)
        count = len(offsets) - 1
        if offsets[0] != 0 or np.any(np.diff(offsets) <= 0) or offsets[-1] != data.shape[0]:
            raise ManifestError(f"{self.manifest.segments[segment].path}: {name}_offsets do not rise from 0 "
                                f"to the {data.shape[0]} frames of {name}")
        axis = self.manifest.time_axes[name]
        wanted = range(count) if rows is None else [int(r) for r in rows]
        out = np.empty(len(wanted), dtype=object)
        for k, row in enumerate(wanted):
            out[k] = np.moveaxis(data[offsets[row]:offsets[row + 1]], 0, axis)
        return out

    def _require(self, name):
        if name not in self._specs:
            raise KeyError(f"no column '{name}' in {self.manifest.path} (has {', '.join(self.columns)})")

    def _empty(self, name):
        dtype, shape = self._specs[name]
        if name in self.manifest.time_axes:
            return np.empty(0, dtype=object)
        numpy_type = object if dtype == "string" else np.dtype(dtype)
        return np.empty((0,) + tuple(shape), dtype=numpy_type)


def _datasets(group):
    for item in group.values():
        if isinstance(item, h5py.Dataset):
            yield item
        elif isinstance(item, h5py.Group):
            yield from _datasets(item)
