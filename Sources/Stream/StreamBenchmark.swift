import Foundation
import Randomness
import Store

/// `make bench`'s stream figures: clips/s and MB/s of shuffled batches from page cache.
///
/// Writes a store of random [C, T, F] float32 rows (the shape of a 10-s log-mel clip) once, reads
/// it once to warm the page cache, then times whole epochs at each reader-thread count. Why a
/// written store and not an ingested one: the figure is the stream's, and ingesting enough clips to
/// outlast the page cache's warm-up would take minutes of decoding unrelated to streaming.
public enum StreamBenchmark {
    public struct Result: Sendable {
        public var readers: Int
        public var batches: Int
        public var seconds: Double
        public var bytes: Int
        public var clipsPerSecond: Double { Double(batches * batchSize) / seconds }
        public var megabytesPerSecond: Double { Double(bytes) / seconds / 1_000_000 }
        public var batchSize: Int
    }

    /// A store of `shards × rowsPerShard` rows under `root/store` (replaced if it exists there).
    public static func writeStore(at root: URL, shards: Int, rowsPerShard: Int, rowShape: [Int]) throws -> URL {
        let store = root.appendingPathComponent("store")
        try? FileManager.default.removeItem(at: store)
        let schema = [ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: rowShape),
                      ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32)]
        var generator = SplitMix64(seed: 0)
        var infos: [ShardInfo] = []
        let width = rowShape.reduce(1, *)
        for k in 0..<shards {
            let writer = try ShardWriter(directory: store.appendingPathComponent("shards"), name: String(format: "part-%05d", k),
                                         schema: schema, rowCount: rowsPerShard)
            for i in 0..<rowsPerShard {
                let features = (0..<width).map { _ in Float(generator.nextSigned() * 20 - 40) }
                try writer.write(row: ["features/logmel": .float32(features), "meta/id": .string("clip-\(k)-\(i)"),
                                       "meta/label": .int32(Int32(i % 10))], at: i)
            }
            infos.append(try writer.commit().inFolder("shards"))
        }
        try Manifest(pipeline: "stream-bench", configHash: "bench", createdBy: "pipe bench-stream", columns: schema,
                     classes: (0..<10).map { "class-\($0)" }, shards: infos, rowCount: shards * rowsPerShard).write(to: store)
        return store
    }

    /// Times `epochs` shuffled epochs of `batchSize` batches with `readers` threads (checksums
    /// verified on an untimed warm-up epoch first, which also fills the page cache). Several epochs,
    /// because one epoch of 4,096 rows lasts a tenth of a second, shorter than the machine's load swings.
    public static func measure(store: URL, batchSize: Int, readers: Int, seed: UInt64 = 0, epochs: Int = 4) throws -> Result {
        let options = StreamOptions(features: "features/logmel", batchSize: batchSize, seed: seed, prefetch: 4, readers: readers)
        let table = try StreamTable(manifest: store, options: options)
        let warm = try BatchStream(table: table, epochs: 1)
        while try warm.next() != nil {}
        let stream = try BatchStream(table: table, epochs: 1 + epochs, from: StreamPosition(epoch: 1, seed: seed))
        let started = Date()
        var batches = 0
        var bytes = 0
        while let batch = try stream.next() {
            batches += 1
            bytes += batch.featureBytes
        }
        return Result(readers: readers, batches: batches, seconds: Date().timeIntervalSince(started), bytes: bytes, batchSize: batchSize)
    }
}
