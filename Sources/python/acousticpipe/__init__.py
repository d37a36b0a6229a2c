"""Read AcousticPipe stores and views from Python with numpy and h5py only.

    import acousticpipe
    t = acousticpipe.open("stores/pretrain-asc10")    # a store or view folder, or its manifest.json
    len(t), t.columns, t.classes, t.splits
    t[0]                                  # {"meta/id": "tau2020/...", "meta/label": 3, "features/logmel64": array}
    t.column("meta/label")                # numpy array over every row; -1 = unlabeled
    t.indices(split="train")              # row numbers of one split
    t.batches(64, seed=7, where={"split": "train"})   # shuffled batches, the Swift stream's order
    t.batches(64, seed=7, mixup=0.3, freq_mask=8)     # with the Swift stream's online augmentation draws

Labels are indices into ``t.classes``; -1 (``IGNORE_INDEX``) means unlabeled, so
``torch.nn.CrossEntropyLoss(ignore_index=acousticpipe.IGNORE_INDEX)`` skips those rows.
"""

from .manifest import Manifest, ManifestError
from .batches import Batches, SplitMix64, epoch_plan
from .table import Table
from .torch_dataset import BatchDataset

__all__ = ["open", "Table", "Manifest", "ManifestError", "Batches", "BatchDataset", "SplitMix64", "epoch_plan",
           "IGNORE_INDEX", "SPLITS"]

#: The value of ``meta/label`` (and ``meta/label_coarse``) for a row without a label.
IGNORE_INDEX = -1

#: The normalised values of ``meta/split``, the same for every corpus.
SPLITS = ("train", "validation", "test", "unlabeled", "unused")


def open(path):  # noqa: A001 - the package's one entry point, like h5py.File / io.open
    """Open the store or view at ``path`` (its folder or its ``manifest.json``) as one table."""
    return Table(Manifest.load(path))
