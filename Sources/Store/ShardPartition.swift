import Foundation

/// Which worker of a partitioned run computes which shards: worker `index` of `count` takes the
/// contiguous range `[index·S/count, (index+1)·S/count)` of the plan's `S` shards (integer division).
///
/// Contiguous ranges rather than round robin: each worker's shards are neighbours in the plan, so
/// its `catalog.jsonl` lines and output files are adjacent, and the sizes still differ by at most
/// one shard between workers. The assignment is a pure function of (S, count), so `pipe merge` can
/// say which worker owes a missing shard from `partition.json` alone.
public struct ShardPartition: Codable, Equatable, Sendable, CustomStringConvertible {
    /// `partition.json` at the store's root: the worker count the shards were assigned under.
    public static let fileName = "partition.json"

    public var index: Int
    public var count: Int

    /// The single-process run: worker 0 of 1.
    public static let whole = ShardPartition(unchecked: 0, count: 1)

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw StoreError.invalidState(path: "--shard-count", reason: "the worker count must be at least 1, not \(count)") }
        guard (0..<count).contains(index) else {
            throw StoreError.invalidState(path: "--shard-index", reason: "worker index \(index) is outside 0..<\(count)")
        }
        self.index = index
        self.count = count
    }

    init(unchecked index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public var isWhole: Bool { count == 1 }

    /// The shard indices of this worker in a plan of `shardCount` shards (empty when there are
    /// more workers than shards).
    public func shards(of shardCount: Int) -> Range<Int> {
        (index * shardCount / count)..<((index + 1) * shardCount / count)
    }

    /// The worker (of `count`) that owns shard `shard` of `shardCount`.
    public static func owner(of shard: Int, shardCount: Int, count: Int) -> Int {
        // The largest i with i·S/count <= shard; the division above is monotone in i.
        var worker = min(count - 1, (shard * count) / max(shardCount, 1))
        while worker > 0 && worker * shardCount / count > shard { worker -= 1 }
        while worker + 1 < count && (worker + 1) * shardCount / count <= shard { worker += 1 }
        return worker
    }

    public var description: String { "worker \(index) of \(count)" }
}

/// What `partition.json` records: the worker count (every worker of one run writes the same bytes).
struct PartitionRecord: Codable, Equatable {
    var workers: Int
}
