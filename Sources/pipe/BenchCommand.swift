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

    func run() throws {
        let config = try ShippedArguments.pipeline(pipeline)
        let report = try Benchmark.run(clips: clips, threads: threads, work: URL(fileURLWithPath: work), pipeline: config)
        print(report)
        guard !skipRepresentations, !representationPipelines.isEmpty else { return }
        let configs = try representationPipelines.map { try ShippedArguments.pipeline($0) }
        print("")
        print("representations, one core, per clip of each pipeline's duration (10 s; ds-flexinet 1 s):")
        print(RepresentationBenchmark.table(try RepresentationBenchmark.run(pipelines: configs)))
    }
}
