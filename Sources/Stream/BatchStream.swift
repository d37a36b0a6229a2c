import Foundation

/// The batches of a store or view for a trainer: epochs of shuffled, partitioned, prefetched
/// batches, resumable from a `StreamPosition`.
///
/// ```swift
/// let table = try StreamTable(manifest: URL(fileURLWithPath: "out/asc10"), options: options)
/// let stream = try BatchStream(table: table, epochs: 10)
/// while let batch = try stream.next() { train(batch) }       // saves stream.position with a checkpoint
/// let resumed = try BatchStream(table: table, epochs: 10, from: saved)   // the same remaining batches
/// ```
///
/// Online augmentation: `transforms` run on each batch on the reader thread, seeded from (seed,
/// epoch, batch, rank) (see `BatchTransform`); before them, a `waveform` transform computes each
/// row's features from its stored waveform with per-row seeds (see `WaveformTransform`).
/// Variable-length recordings are read as fixed-length crops (`StreamOptions.crop`, `FrameCrop`:
/// random or sliding), their frame targets cut at the same offsets and `Batch.mask` marking
/// padding, before the transforms see the batch.
public final class BatchStream {
    public let table: StreamTable
    public let epochs: Int
    public let transforms: [any BatchTransform]
    /// Online waveform augmentation and features, when the rows' features are computed from `/audio/waveform`.
    public let waveform: (any WaveformTransform)?
    private let waveformStage: WaveformStage?
    /// The next batch `next()` returns.
    public private(set) var position: StreamPosition
    private var plan: EpochPlan?
    private var prefetcher: Prefetcher?
    /// The largest number of batches held at once in any epoch so far (never above `prefetch`).
    public var peakQueued: Int { max(finishedPeak, prefetcher?.peakOutstanding ?? 0) }
    private var finishedPeak = 0

    public init(table: StreamTable, epochs: Int, from position: StreamPosition? = nil,
                transforms: [any BatchTransform] = [], waveform: (any WaveformTransform)? = nil) throws {
        let options = table.options
        guard epochs >= 1 else { throw StreamError.invalidOptions("epochs \(epochs) must be at least 1") }
        let start = position ?? StreamPosition(seed: options.seed, rank: options.rank, world: options.world)
        guard start.seed == options.seed, start.rank == options.rank, start.world == options.world else {
            throw StreamError.invalidPosition(
                "saved for seed \(start.seed), rank \(start.rank)/\(start.world); this stream is seed \(options.seed), rank \(options.rank)/\(options.world)")
        }
        guard start.epoch >= 0, start.batch >= 0 else {
            throw StreamError.invalidPosition("epoch \(start.epoch), batch \(start.batch) is negative")
        }
        ProcessHeap.keep(.batches)
        self.table = table
        self.epochs = epochs
        self.transforms = transforms
        self.waveform = waveform
        waveformStage = try waveform.map { try table.waveformStage($0) }
        self.position = start
        if start.epoch < epochs {
            let count = table.plan(epoch: start.epoch).batches.count
            guard start.batch <= count else {
                throw StreamError.invalidPosition("batch \(start.batch) of epoch \(start.epoch), which has \(count) batches")
            }
        }
    }

    deinit {
        prefetcher?.stop()
    }

    /// Batches per epoch for this rank (the same every epoch for natural sampling).
    public func batchCount(epoch: Int) -> Int { table.plan(epoch: epoch).batches.count }

    /// The next batch, or nil after the last epoch.
    public func next() throws -> Batch? {
        while position.epoch < epochs {
            if prefetcher == nil {
                let plan = table.plan(epoch: position.epoch)
                let table = self.table
                let transforms = self.transforms
                let epoch = position.epoch
                let stage = waveformStage
                self.plan = plan
                prefetcher = Prefetcher(first: position.batch, count: plan.batches.count, depth: table.options.prefetch,
                                        threads: table.options.readers) { index in
                    var batch = try stage.map { try table.readBatch(rows: plan.batches[index], epoch: epoch, index: index, waveform: $0) }
                        ?? table.readBatch(rows: plan.batches[index], epoch: epoch, index: index)
                    try table.transform(&batch, with: transforms)
                    return batch
                }
            }
            if let batch = try prefetcher?.next() {
                position.batch += 1
                // After an epoch's last batch the position is the next epoch's first, so a
                // checkpoint taken there names where training continues.
                if position.batch == plan?.batches.count { finishEpoch() }
                return batch
            }
            finishEpoch()
        }
        return nil
    }

    private func finishEpoch() {
        if let prefetcher {
            prefetcher.stop()
            finishedPeak = max(finishedPeak, prefetcher.peakOutstanding)
        }
        prefetcher = nil
        plan = nil
        position.epoch += 1
        position.batch = 0
    }
}
