import ArgumentParser
import Foundation
import Stream

/// `pipe bench-stream --work DIR`: stream throughput at 1 and 2 reader threads.
struct BenchStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-stream",
        abstract: "Measure the training stream: clips/s and MB/s of shuffled [1, 501, 64] batches from page cache.")

    @Option(help: "Folder for the benchmark store (its 'store' sub-folder is replaced).")
    var work: String

    @Option(help: "Shards.")
    var shards: Int = 4

    @Option(help: "Rows per shard.")
    var rows: Int = 256

    @Option(help: "Batch size.")
    var batch: Int = 64

    @Option(help: "Reader-thread counts to measure, comma-separated.")
    var readers: String = "1,2"

    @Flag(help: "Reuse the store a previous run wrote under --work (so runs can alternate with another reader).")
    var reuse = false

    func run() throws {
        let counts = readers.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--readers '\(readers)': e.g. 1,2") }
        let root = URL(fileURLWithPath: work)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let existing = root.appendingPathComponent("store")
        let store = reuse && FileManager.default.fileExists(atPath: existing.appendingPathComponent("manifest.json").path)
            ? existing : try StreamBenchmark.writeStore(at: root, shards: shards, rowsPerShard: rows, rowShape: [1, 501, 64])
        print("store: \(store.path) (\(shards * rows) rows of [1, 501, 64] float32)")
        for count in counts {
            let result = try StreamBenchmark.measure(store: store, batchSize: batch, readers: count)
            print(String(format: "swift stream, %d reader(s): %d batches of %d in %.2f s: %.1f batches/s, %.0f clips/s, %.0f MB/s",
                         count, result.batches, batch, result.seconds, Double(result.batches) / result.seconds,
                         result.clipsPerSecond, result.megabytesPerSecond))
        }
    }
}
