"""A PyTorch ``IterableDataset`` over ``Table.batches``; importing this module does not need torch.

    ds = acousticpipe.BatchDataset("stores/asc10", 64, columns=["features/logmel", "meta/label"],
                                   seed=7, epoch=0, where={"split": "train"})
    loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2)

Each worker process opens its own HDF5 files when it starts iterating (never a handle inherited
across fork) and yields batches k, k + workers, ... of the epoch, so the loader sees every batch
once. Call ``set_epoch(e)`` before each epoch, as with a DistributedSampler.
"""

try:  # torch is optional: without it the class is a plain iterable with the same behaviour.
    from torch.utils.data import IterableDataset as _Base
    from torch.utils.data import get_worker_info as _worker_info
except ImportError:  # pragma: no cover - exercised where torch is absent
    _Base = object

    def _worker_info():
        return None


class BatchDataset(_Base):
    def __init__(self, path, batch_size, **options):
        self.path = path
        self.batch_size = batch_size
        self.options = dict(options)

    def set_epoch(self, epoch):
        self.options["epoch"] = epoch

    def __iter__(self):
        from . import open as open_table

        info = _worker_info()
        worker, workers = (info.id, info.num_workers) if info is not None else (0, 1)
        table = open_table(self.path)  # opened here, inside the worker
        try:
            batches = table.batches(self.batch_size, **self.options)
            try:
                for index in range(batches._next, len(batches.plan)):
                    if index % workers == worker:
                        yield batches.batch(index)  # read and, with augmentation options, augmented
            finally:
                batches.close()
        finally:
            table.close()
