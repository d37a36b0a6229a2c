import ArgumentParser
import Foundation
import Train

/// `pipe bench-train --work DIR`: CNN training clips/s (data-parallel threads vs OpenBLAS threads)
/// and the convolutions' GFLOP/s beside OpenBLAS sgemm at the same sizes.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-train",
        abstract: "Measure CNN training: clips/s, and conv-layer GFLOP/s beside OpenBLAS sgemm at the same matrix sizes.")

    @Option(help: "Folder for the benchmark store (its 'store' sub-folder is replaced).")
    var work: String

    @Option(help: "Rows of the benchmark store ([1, --frames, --bins] float32, split train).")
    var rows: Int = 256

    @Option(help: "Frames per row.")
    var frames: Int = 501

    @Option(help: "Bins per row.")
    var bins: Int = 64

    @Option(help: "Batch size.")
    var batch: Int = 32

    @Option(help: "CNN channels of each block.")
    var channels: String = "16,32,64"

    @Option(help: "Timed repeats of each convolution (best is kept).")
    var repeats: Int = 3

    func run() throws {
        let widths = channels.split(separator: ",").compactMap { Int($0) }
        guard !widths.isEmpty, rows >= batch, batch >= 1 else { throw ValidationError("need --channels like 16,32,64 and --rows >= --batch >= 1") }
        let architecture = CNNArchitecture(channels: widths)
        let input = MapShape(channels: 1, height: frames, width: bins)
        if let problem = architecture.problem(input: input) { throw ValidationError(problem) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("CNN \(widths) on [1, \(frames), \(bins)], batch \(batch), \(cores) cores")
        for (threads, blas) in [(1, 1), (2, 2)] {
            print("convolutions, \(threads) data-parallel thread(s), beside sgemm with \(blas) OpenBLAS thread(s):")
            var flops = 0.0, convSeconds = 0.0, sgemmSeconds = 0.0
            for f in CNNBenchmark.convolutions(architecture: architecture, input: input, batch: batch, threads: threads,
                                               blasThreads: blas, repeats: repeats) {
                print(String(format: "  %@ (sgemm M %d, N %d, K %d): %.1f GFLOP/s, sgemm %.1f GFLOP/s, %.0f %%",
                             f.layer, f.m, f.n, f.k, f.convolutionGFLOPS, f.sgemmGFLOPS, 100 * f.convolutionGFLOPS / f.sgemmGFLOPS))
                flops += f.flops
                convSeconds += f.convolutionSeconds
                sgemmSeconds += f.sgemmSeconds
            }
            print(String(format: "  all convolutions: %.1f GFLOP/s, sgemm %.1f GFLOP/s, %.0f %% (forward + backward of a batch: %.3f s)",
                         flops / convSeconds / 1e9, flops / sgemmSeconds / 1e9, 100 * sgemmSeconds / convSeconds, convSeconds))
        }
        print("one training step of a batch, per layer (2 data-parallel threads):")
        for entry in CNNBenchmark.layerTimes(architecture: architecture, input: input, batch: batch, threads: 2) {
            print(String(format: "  %@: forward %.3f s, backward %.3f s", entry.layer, entry.forward, entry.backward))
        }
        let root = URL(fileURLWithPath: work)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let store = try CNNBenchmark.writeStore(at: root, rows: rows, rowShape: [1, frames, bins])
        var options = TrainOptions(features: "features/logmel", epochs: 1, batchSize: batch, seed: 0, validSplit: nil)
        options.model = .cnn
        options.cnn = architecture
        for (threads, blas, what) in [(1, 1, "1 thread"), (2, 1, "2 data-parallel threads, OpenBLAS 1 thread"),
                                      (1, 2, "1 thread, OpenBLAS 2 threads")] {
            options.threads = threads
            let rate = try CNNBenchmark.training(store: store, rows: rows, options: options, blasThreads: blas)
            print(String(format: "training (%@): %.1f clips/s", what, rate))
        }
    }
}
