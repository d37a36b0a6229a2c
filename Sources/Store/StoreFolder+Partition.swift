import Foundation

extension StoreFolder {
    /// Records that the shards are being written by `workers` processes (`partition.json`), so that
    /// `pipe merge` can name the worker that owes a missing shard. Every worker of one run writes
    /// the same bytes (atomically), so concurrent writes agree; a rerun under another worker count
    /// replaces it, which is right: the rerun's workers are the ones that owe what is missing.
    public func recordPartition(workers: Int) throws {
        let url = layout.root.appendingPathComponent(ShardPartition.fileName)
        if let existing = try? StoreJSON.decode(PartitionRecord.self, from: url), existing.workers == workers { return }
        try DurableFile.writeJSON(PartitionRecord(workers: workers), to: url)
    }

    /// The worker count of the last partitioned run into this folder (1 when none was recorded).
    public var recordedWorkers: Int {
        let url = layout.root.appendingPathComponent(ShardPartition.fileName)
        return (try? StoreJSON.decode(PartitionRecord.self, from: url)).map { max(1, $0.workers) } ?? 1
    }

    /// "worker I of N" for shard `index` of the plan, under the recorded partition.
    func owner(ofShard index: Int) -> String {
        let workers = recordedWorkers
        guard workers > 1 else { return "owed by the single-process run (no partition.json)" }
        let worker = ShardPartition.owner(of: index, shardCount: plan.shards.count, count: workers)
        return "owed by worker \(worker) of \(workers) (--shard-index \(worker) --shard-count \(workers), array task \(worker))"
    }
}
