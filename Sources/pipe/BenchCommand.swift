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

    @Option(help: "Worker threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Work folder (clips are generated once, under audio-<clips>, and kept).")
    var work: String = "demo/bench"

    @Option(help: "Pipeline whose audio and features are measured.")
    var pipeline: String = "pipelines/ingest.yaml"

    @Option(name: .customLong("representations"), parsing: .upToNextOption,
            help: "Pipelines whose representations are timed one by one on one core (empty: skip).")
    var representationPipelines: [String] = ["pipelines/ingest.yaml", "pipelines/sps-dcase2020.yaml",
                                             "pipelines/sps-dcase2020-code.yaml", "pipelines/estm-dcase2020t2.yaml",
                                             "pipelines/ffmamba-seld.yaml", "pipelines/ds-flexinet.yaml"]

    @Flag(help: "Skip the per-representation timings.")
    var skipRepresentations = false

    @Flag(help: "Skip the augmentation timings (DIR/ADIR, FOA swap, Freq-MixStyle, mixup).")
    var skipAugment = false

    func run() throws {
        let config = try PipelineConfig.load(URL(fileURLWithPath: pipeline))
        let report = try Benchmark.run(clips: clips, threads: threads, work: URL(fileURLWithPath: work), pipeline: config)
        print(report)
        if !skipAugment {
            print("")
            print("augmentations, one core (Tests/Bench/python_augment.py times the references on the same shapes):")
            print(AugmentBenchmark.table(try AugmentBenchmark.run()))
        }
        guard !skipRepresentations, !representationPipelines.isEmpty else { return }
        let configs = try representationPipelines.map { try PipelineConfig.load(URL(fileURLWithPath: $0)) }
        print("")
        print("representations, one core, per clip of each pipeline's duration (10 s; ds-flexinet 1 s):")
        print(RepresentationBenchmark.table(try RepresentationBenchmark.run(pipelines: configs)))
    }
}
