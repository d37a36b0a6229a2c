"""Whole-chunk reads of feature rows: a float32 column whose every row is one raw chunk (no filter,
little-endian, allocated — how the Store writes feature columns) is read with one ``os.preadv``
per row at the chunk's file offset, straight into the batch buffer.

Why: an h5py slice costs a selection, a chunk lookup and a copy per call (about 1,000-3,000 rows/s
here), while the bytes of a committed, checksummed shard never move, so its chunk offsets, read
once with ``get_chunk_info``, give each row as one system call from page cache. This is the Swift
stream's ``RowFile`` (Sources/Stream/RowFile.swift) in Python.
"""

import os

import h5py
import numpy as np

_UNDEFINED = (1 << 64) - 1


class RowChunks:
    """The file offsets of one column's row chunks in one file (``offsets[i]`` for row ``i``)."""

    def __init__(self, path, offsets, row_bytes, row_shape):
        self.path = path
        self.offsets = offsets
        self.row_bytes = row_bytes
        self.row_shape = row_shape
        self._fd = None

    @staticmethod
    def of(path, dataset):
        """The column's chunk offsets, or None when its layout is not one raw chunk per row."""
        if dataset.dtype != np.dtype("<f4") or dataset.ndim < 2 or dataset.shape[0] == 0:
            return None
        if dataset.chunks != (1,) + tuple(dataset.shape[1:]):
            return None
        plist = dataset.id.get_create_plist()
        if plist.get_layout() != h5py.h5d.CHUNKED or plist.get_nfilters() != 0:
            return None
        rows = dataset.shape[0]
        row_bytes = int(np.prod(dataset.shape[1:])) * 4
        if dataset.id.get_num_chunks() != rows:
            return None
        offsets = np.full(rows, -1, dtype=np.int64)
        for index in range(rows):
            info = dataset.id.get_chunk_info(index)
            if (info.filter_mask != 0 or info.size != row_bytes or info.byte_offset is None
                    or info.byte_offset == _UNDEFINED or any(info.chunk_offset[1:])):
                return None
            offsets[info.chunk_offset[0]] = info.byte_offset
        if (offsets < 0).any():
            return None
        return RowChunks(path, offsets, row_bytes, tuple(dataset.shape[1:]))

    def read(self, row, target):
        """Row ``row`` into ``target`` (a C-contiguous float32 array of the row's shape)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        view = memoryview(target).cast("B")
        done, start = 0, int(self.offsets[row])
        while done < self.row_bytes:
            n = os.preadv(self._fd, [view[done:]], start + done)
            if n <= 0:
                raise OSError(f"{self.path}: row {row} ({self.row_bytes} bytes at {start}) stopped after {done} bytes")
            done += n

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self):
        self.close()
