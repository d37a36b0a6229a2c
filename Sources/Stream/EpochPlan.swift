import Randomness

/// The batches of one epoch for one rank: row numbers of the table, in order.
///
/// A pure function of (selected rows per segment, options, epoch), so any rank, thread or process
/// — including the Python reader, which implements the same steps — computes the same plan.
/// The steps (the definition; `acousticpipe.batches` follows it exactly):
///
/// 1. `g = SplitMix64(seed: seed, key: "stream#<epoch>")`.
/// 2. Natural sampling: segments (shards, or a view's selections) in order; when shuffling, their
///    order is permuted by Fisher–Yates (`for i in n-1 down to 1: swap(i, g.nextInt(below: i+1))`)
///    and the rows, read segment by segment, pass through a shuffle buffer of `shuffleBuffer` rows:
///    while filling, a row is appended; once full, `j = g.nextInt(below: size)` is emitted and
///    replaced by the row; at the end, `j = g.nextInt(below: count)` is emitted and replaced by the
///    buffer's last row, until empty. Why two levels: shard order gives cross-shard mixing at no
///    read cost, the buffer mixes within its window while reads stay local to a few shards.
///    Balanced / weighted sampling: as many draws as rows of nonzero weight, each
///    `u = g.nextUnit() × total` found by binary search in the running sum of row weights (in row
///    order, Double), i.e. with replacement.
/// 3. Partition: `perRank = count / world` (rounded down to a multiple of `batchSize` when dropping
///    the last batch); the first `perRank × world` rows of the order are kept and rank `r` takes
///    positions `r, r + world, r + 2·world, …`. The rows dropped are the shuffled order's tail, so a
///    different few each epoch; every rank gets the same number of batches.
/// 4. Batches: consecutive `batchSize` rows; a last smaller batch only when `dropLast` is false.
public struct EpochPlan: Equatable, Sendable {
    public let epoch: Int
    public let batches: [[Int]]

    public init(segments: [[Int]], weights: [Double]? = nil, options: StreamOptions, epoch: Int) {
        self.epoch = epoch
        var generator = SplitMix64(seed: options.seed, key: "stream#\(epoch)")
        var order: [Int]
        if let weights {
            order = Self.weightedDraws(rows: segments.flatMap { $0 }, weights: weights, generator: &generator)
        } else if options.shuffle {
            var segmentOrder = Array(segments.indices)
            Self.permute(&segmentOrder, generator: &generator)
            order = Self.bufferShuffle(segmentOrder.lazy.flatMap { segments[$0] }, size: options.shuffleBuffer,
                                       generator: &generator)
        } else {
            order = segments.flatMap { $0 }
        }
        var perRank = order.count / options.world
        if options.dropLast { perRank -= perRank % options.batchSize }
        var mine: [Int] = []
        mine.reserveCapacity(perRank)
        for k in 0..<perRank { mine.append(order[k * options.world + options.rank]) }
        order = []
        var batches: [[Int]] = []
        var start = 0
        while start < mine.count {
            let end = min(start + options.batchSize, mine.count)
            batches.append(Array(mine[start..<end]))
            start = end
        }
        self.batches = batches
    }

    static func permute(_ values: inout [Int], generator: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, through: 1, by: -1) {
            values.swapAt(i, generator.nextInt(below: i + 1))
        }
    }

    static func bufferShuffle<S: Sequence>(_ rows: S, size: Int, generator: inout SplitMix64) -> [Int] where S.Element == Int {
        var buffer: [Int] = []
        buffer.reserveCapacity(size)
        var out: [Int] = []
        for row in rows {
            if buffer.count < size {
                buffer.append(row)
            } else {
                let j = generator.nextInt(below: size)
                out.append(buffer[j])
                buffer[j] = row
            }
        }
        while !buffer.isEmpty {
            let j = generator.nextInt(below: buffer.count)
            out.append(buffer[j])
            buffer[j] = buffer[buffer.count - 1]
            buffer.removeLast()
        }
        return out
    }

    static func weightedDraws(rows: [Int], weights: [Double], generator: inout SplitMix64) -> [Int] {
        var cumulative: [Double] = []
        cumulative.reserveCapacity(weights.count)
        var total = 0.0
        for weight in weights {
            total += weight
            cumulative.append(total)
        }
        let draws = weights.filter { $0 > 0 }.count
        guard total > 0 else { return [] }
        var out: [Int] = []
        out.reserveCapacity(draws)
        for _ in 0..<draws {
            let u = generator.nextUnit() * total
            // The first row whose running sum exceeds u.
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > u { high = middle } else { low = middle + 1 }
            }
            out.append(rows[low])
        }
        return out
    }
}
