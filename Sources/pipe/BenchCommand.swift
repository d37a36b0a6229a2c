import ArgumentParser
import Foundation
import Pipeline

/// `pipe bench`: what `make bench` runs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the default ingest pipeline on 10-s 48 kHz stereo 24-bit clips (like TAU 2020 device A).")

    @Option(help: "Number of clips.")
    var clips: Int = 200

    @Option(name: .customLong("threads"), help: "Worker threads (default: one per core).")
    var threadCount: Int?

    var threads: Int { threadCount ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: "Work folder (clips are generated once, under audio-<clips>, and kept).")
    var work: String = "demo/bench"

    @Option(help: "Pipeline (file or shipped name) whose audio and features are measured.")
    var pipeline: String = "ingest"

    @Option(name: .customLong("representations"), parsing: .upToNextOption,
            help: "Pipelines whose representations are timed one by one on one core (empty: skip).")
    var representationPipelines: [String] = ["ingest", "sps-dcase2020", "sps-dcase2020-code", "estm-dcase2020t2",
                                             "ffmamba-seld", "ds-flexinet"]

    @Flag(help: "Skip the per-representation timings.")
    var skipRepresentations = false

    @Flag(help: "Instead: the scale-out bench (N = 1, 2 worker processes through the partition, and the reduce step over --reduce-shards shards).")
    var scaleOut = false

    @Option(help: "Shards of the simulated store whose merge the scale-out bench times.")
    var reduceShards: Int = 10_000

    @Option(help: "Shard rows of the scale-out bench's ingest (so that each worker gets several shards).")
    var shardRows: Int = 16

    @Flag(help: "Skip the augmentation timings (DIR/ADIR, FOA swap, Freq-MixStyle, mixup).")
    var skipAugment = false

    @Flag(help: "Instead: only generate the clips (under WORK/audio-<clips>) and print that folder (make bench's side-by-side runs on it).")
    var clipsOnly = false

    @Flag(help: "Instead: only the per-representation timings of --representations (make bench's side-by-side compares them with Tests/Bench/python_representations.py).")
    var representationsOnly = false

    func run() throws {
        if scaleOut { return try runScaleOut() }
        if clipsOnly { return print(try Benchmark.clipFolder(count: clips, work: URL(fileURLWithPath: work)).path) }
        if representationsOnly { return try printRepresentations() }
        let config = try ShippedArguments.pipeline(pipeline)
        let report = try Benchmark.run(clips: clips, threads: threads, work: URL(fileURLWithPath: work), pipeline: config)
        print(report)
        if !skipAugment {
            print("")
            print("augmentations, one core (Tests/Bench/python_augment.py times the references on the same shapes):")
            print(AugmentBenchmark.table(try AugmentBenchmark.run()))
        }
        guard !skipRepresentations, !representationPipelines.isEmpty else { return }
        print("")
        try printRepresentations()
    }

    func printRepresentations() throws {
        let configs = try representationPipelines.map { try ShippedArguments.pipeline($0) }
        print("representations, one core, per clip of each pipeline's duration (10 s; ds-flexinet 1 s):")
        print(RepresentationBenchmark.table(try RepresentationBenchmark.run(pipelines: configs)))
    }

    /// `make bench`'s scale-out lines: worker processes of this executable, then the reduce alone.
    func runScaleOut() throws {
        let executable = URL(fileURLWithPath: SlurmScriptCommand.currentExecutable())
        let workFolder = URL(fileURLWithPath: work)
        print("scale-out: \(clips) clips (10 s, 48 kHz stereo), \(shardRows) rows per shard, on \(threads) cores")
        var base: Double?
        for (workers, perWorker) in [(1, 1), (1, threads), (threads, 1)] where workers * perWorker <= threads || workers == 1 {
            let run = try ScaleOutBenchmark.ingest(executable: executable, pipeline: URL(fileURLWithPath: pipeline), clips: clips,
                                                   workers: workers, threadsPerWorker: perWorker, shardRows: shardRows,
                                                   work: workFolder)
            base = base ?? run.clipsPerSecond
            print(String(format: "  N = %d worker process(es) x %d thread(s): workers %.2f s + merge %.2f s = %.1f clips/s (%.2f x N=1x1)",
                         run.workers, run.threadsPerWorker, run.workerSeconds, run.mergeSeconds, run.clipsPerSecond,
                         run.clipsPerSecond / (base ?? 1)))
        }
        let reduce = try ScaleOutBenchmark.reduce(shards: reduceShards, work: workFolder)
        print(String(format: "reduce: %d shards (%.0f MiB, one sidecar each): writing them %.2f s; pipe merge's finalize %.2f s = %.3f ms per shard",
                     reduce.shards, Double(reduce.storeBytes) / 1_048_576, reduce.writeSeconds, reduce.mergeSeconds,
                     reduce.mergeSeconds * 1000 / Double(reduce.shards)))
    }
}
