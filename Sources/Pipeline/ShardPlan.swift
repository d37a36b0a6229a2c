import Corpora
import Foundation
import Randomness
import Store

/// Which row goes to which shard: a seeded permutation of the (recording, variant) rows of the
/// catalog, cut into shards of `shardRows`.
///
/// A row is a recording and a variant of it (0 = as published; 1… = augmented copies or segments),
/// so the plan can hold several rows per recording, each with its own seed (`ClipSeed`). The plan
/// depends only on the catalog, the seed and the variant count, never on threads or timing, so any
/// engine (or any worker of a partitioned run) can execute any shard and a rerun finds the same
/// shards. The permutation mixes classes and corpora inside every shard, so a trainer streaming a
/// few shards sees all of them. With one variant it is the permutation of the recordings alone.
public struct ShardPlan: Sendable {
    /// One planned row.
    public struct Row: Equatable, Hashable, Sendable {
        /// Index into `recordings`.
        public var recording: Int
        public var variant: Int
    }

    public struct Shard: Sendable {
        public var index: Int
        public var name: String
        /// The rows, in row order.
        public var members: [Row]
    }

    /// The recordings, sorted by id.
    public let recordings: [Recording]
    public let shards: [Shard]
    public let variants: Int
    public let seed: UInt64

    public init(catalog: [Recording], shardRows: Int, seed: UInt64, variants: Int = 1) {
        precondition(variants >= 1, "at least one variant per recording")
        self.init(catalog: catalog, shardRows: shardRows, seed: seed, variantCount: variants) { _ in Array(0..<variants) }
    }

    /// A plan whose rows per recording are chosen by `rowsOf` (an `augment:` section: variants 1...K
    /// of the selected recordings, variant 0 of the others and, unless `keep_original: false`, of
    /// the selected ones too). `variantCount` is the largest number of rows a recording gets.
    public init(catalog: [Recording], shardRows: Int, seed: UInt64, variantCount: Int, rowsOf: (Recording) -> [Int]) {
        recordings = catalog.sorted { $0.id < $1.id }
        self.variants = variantCount
        self.seed = seed
        var order: [Row] = []
        order.reserveCapacity(recordings.count * variantCount)
        for index in recordings.indices {
            for variant in rowsOf(recordings[index]) { order.append(Row(recording: index, variant: variant)) }
        }
        var rng = SplitMix64(seed: seed, key: "shard-plan")
        // Fisher–Yates with our own generator: the same on every platform.
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                let j = rng.nextInt(below: i + 1)
                if i != j { order.swapAt(i, j) }
            }
        }
        var shards: [Shard] = []
        var start = 0
        while start < order.count {
            let end = min(start + shardRows, order.count)
            shards.append(Shard(index: shards.count, name: String(format: "part-%05d", shards.count),
                                members: Array(order[start..<end])))
            start = end
        }
        self.shards = shards
        rowCount = order.count
    }

    /// The number of rows planned.
    public let rowCount: Int

    /// The recording of a planned row.
    public func recording(_ row: Row) -> Recording { recordings[row.recording] }

    /// The seed of a planned row, from (run seed, recording id, variant): see `ClipSeed`.
    public func seed(of row: Row) -> UInt64 {
        ClipSeed.seed(runSeed: seed, id: recordings[row.recording].id, variant: row.variant)
    }

    /// The rows of `shard` as the store's plan records them.
    func plannedRows(_ shard: Shard) -> [PlannedRow] {
        shard.members.map { PlannedRow(id: recordings[$0.recording].id, variant: $0.variant) }
    }
}
