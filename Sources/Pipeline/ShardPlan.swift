import Corpora
import Foundation

/// Which recording goes to which row of which shard: a seeded permutation of the catalog, cut
/// into shards of `shardRows`.
///
/// The plan depends only on the catalog and the seed, never on threads or timing, so any engine
/// (or any `--worker i/n` partition later) can execute any shard and a rerun finds the same shards.
/// The permutation mixes classes and corpora inside every shard, so a trainer streaming a few shards
/// sees all of them.
public struct ShardPlan: Sendable {
    public struct Shard: Sendable {
        public var index: Int
        public var name: String
        /// Indices into `recordings`, in row order.
        public var members: [Int]
    }

    /// The recordings in plan order.
    public let recordings: [Recording]
    public let shards: [Shard]

    public init(catalog: [Recording], shardRows: Int, seed: UInt64) {
        var order = catalog.sorted { $0.id < $1.id }
        var rng = SplitMix64(seed: seed, key: "shard-plan")
        // Fisher–Yates with our own generator: the same on every platform.
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                let j = rng.nextInt(below: i + 1)
                if i != j { order.swapAt(i, j) }
            }
        }
        recordings = order
        var shards: [Shard] = []
        var start = 0
        while start < order.count {
            let end = min(start + shardRows, order.count)
            shards.append(Shard(index: shards.count, name: String(format: "part-%05d", shards.count),
                                members: Array(start..<end)))
            start = end
        }
        self.shards = shards
    }

    /// A per-clip seed from (run seed, recording id, variant), for augmentations drawn later.
    public static func clipSeed(runSeed: UInt64, id: String, variant: Int) -> UInt64 {
        var rng = SplitMix64(seed: runSeed, key: "\(id)#\(variant)")
        return rng.next()
    }
}
