"""The one place that parses ``manifest.json``.

Only the fields the reader needs are taken; every other field (checksums, provenance, fields a
newer writer adds) is ignored, so the reader keeps working as the manifest grows.
"""

import json
import os


class ManifestError(ValueError):
    """A manifest that cannot be read, or that disagrees with its files; the message names the file."""


class Segment:
    """One HDF5 file of a manifest (a store's shard or a view's column file) and its row count.

    For a view, ``rows`` are the rows the view keeps of the parent's segment with the same index.
    """

    __slots__ = ("path", "row_count", "parent_rows", "sha256", "size")

    def __init__(self, path, row_count, parent_rows=None, sha256=None, size=None):
        self.path = path
        self.row_count = row_count
        self.parent_rows = parent_rows
        self.sha256 = sha256
        self.size = size


class Manifest:
    """A parsed store or view manifest; ``parent`` is the parent's ``Manifest`` for a view."""

    FILE_NAME = "manifest.json"

    def __init__(self, path, kind, columns, classes, column_classes, row_count, segments, own_columns, parent,
                 time_axes=None, frame_rates=None):
        self.path = path
        self.kind = kind
        self.columns = columns                # [(name, dtype, row_shape)] in manifest order
        self.classes = classes
        self.column_classes = column_classes
        self.row_count = row_count
        self.segments = segments
        self.own_columns = own_columns        # the columns this manifest's own files hold
        self.parent = parent
        # Variable-length columns: name -> where the time axis sits in a row (the store keeps the
        # frames time-major, [sum T] + frame shape, with <name>_offsets [N + 1]).
        self.time_axes = dict(time_axes or {})
        self.frame_rates = dict(frame_rates or {})   # name -> frames per second of the time axis

    @property
    def directory(self):
        return os.path.dirname(self.path)

    @classmethod
    def load(cls, path, _visited=()):
        """Reads the manifest at ``path`` (the file or its folder) and, for a view, its ancestors."""
        path = os.path.abspath(os.fspath(path))
        if os.path.isdir(path):
            path = os.path.join(path, cls.FILE_NAME)
        path = os.path.normpath(path)
        if path in _visited:
            raise ManifestError(f"{path}: a view is its own ancestor")
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            raise ManifestError(f"{path}: no manifest (not a store or view, or an unfinished one)") from None
        except (OSError, ValueError) as error:
            raise ManifestError(f"{path}: cannot read the manifest ({error})") from None

        def field(name, kind=None):
            if name not in data:
                raise ManifestError(f"{path}: missing '{name}'")
            value = data[name]
            if kind is not None and not isinstance(value, kind):
                raise ManifestError(f"{path}: '{name}' should be a {kind.__name__}")
            return value

        kind = field("kind", str)
        columns = [(c["name"], c["dtype"], tuple(c.get("rowShape", []))) for c in field("columns", list)]
        time_axes = {c["name"]: int(c["timeAxis"]) for c in field("columns", list) if c.get("timeAxis") is not None}
        frame_rates = {c["name"]: float(c["frameRate"]) for c in field("columns", list) if c.get("frameRate") is not None}
        classes = list(field("classes", list))
        column_classes = dict(data.get("columnClasses") or {})
        row_count = field("rowCount", int)
        directory = os.path.dirname(path)

        if kind == "store":
            segments = [Segment(os.path.join(directory, s["file"]), int(s["rows"]), None, s.get("sha256"), s.get("bytes"))
                        for s in field("shards", list)]
            own = {name for name, _, _ in columns}
            parent = None
        elif kind == "view":
            parent_path = field("parent", str)
            if not os.path.isabs(parent_path):
                parent_path = os.path.join(directory, parent_path)
            parent = cls.load(parent_path, _visited + (path,))
            selection = field("selection", list)
            files = field("columnFiles", list)
            if len(selection) != len(parent.segments) or len(files) != len(selection):
                raise ManifestError(f"{path}: {len(selection)} selections and {len(files)} column files "
                                    f"for a parent with {len(parent.segments)} segments")
            segments = []
            for index, (kept, info) in enumerate(zip(selection, files)):
                rows = [int(r) for r in kept["rows"]]
                available = parent.segments[index].row_count
                if rows and (rows[-1] >= available or any(b <= a for a, b in zip(rows, rows[1:])) or rows[0] < 0):
                    raise ManifestError(f"{path}: selection {index} is not increasing rows below {available}")
                if len(rows) != int(info["rows"]):
                    raise ManifestError(f"{path}: selection {index} keeps {len(rows)} rows, "
                                        f"{info['file']} has {info['rows']}")
                segments.append(Segment(os.path.join(directory, info["file"]), int(info["rows"]), rows,
                                        info.get("sha256"), info.get("bytes")))
            own = set(data.get("overriddenColumns") or []) | set(data.get("addedColumns") or [])
        else:
            raise ManifestError(f"{path}: unknown kind '{kind}'")

        if sum(s.row_count for s in segments) != row_count:
            raise ManifestError(f"{path}: its files hold {sum(s.row_count for s in segments)} rows, "
                                f"rowCount says {row_count}")
        return cls(path, kind, columns, classes, column_classes, row_count, segments, own, parent, time_axes, frame_rates)
