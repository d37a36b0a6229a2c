import ArgumentParser
import Foundation
import Pipeline

/// Options shared by `ingest` and `run`: where the data is, where the store goes, how to run.
struct RunOptions: ParsableArguments {
    @Option(help: "Folder holding each corpus under its published folder name.")
    var data: String?

    @Option(name: .customLong("path"), help: ArgumentHelp("Override one corpus's folder.", valueName: "corpus=DIR"))
    var paths: [String] = []

    @Option(help: "Output store folder.")
    var out: String = "store"

    @Option(help: "Worker threads (default: SLURM_CPUS_PER_TASK under Slurm, else one per core this process may use).")
    var threads: Int?

    @Option(help: "This worker's index in a partitioned run (0-based; needs --shard-count). Default: from the launcher's environment.")
    var shardIndex: Int?

    @Option(help: "Number of workers of a partitioned run; worker I computes the contiguous shard range [I*S/N, (I+1)*S/N) and leaves the manifest to `pipe merge`.")
    var shardCount: Int?

    @Option(help: "Seed of the shard plan (overrides the pipeline's output.seed).")
    var seed: UInt64?

    @Flag(help: "Replace what --out holds (another store, a view, other files): only the tool's own files are removed.")
    var overwrite = false

    @Flag(help: "Exit 0 even when some inputs were rejected (they are still listed in the manifest).")
    var acceptRejections = false

    @Option(help: "Progress display: auto, bar, lines or none.")
    var progress: String = "auto"

    @Option(help: .hidden)
    var stopAfterShards: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let shardCount, shardCount < 1 { throw ValidationError("--shard-count must be at least 1") }
        if let shardIndex, shardIndex < 0 { throw ValidationError("--shard-index must be at least 0") }
        _ = try pathOverrides()
        guard ["auto", "bar", "lines", "none"].contains(progress) else {
            throw ValidationError("--progress must be auto, bar, lines or none")
        }
    }

    func pathOverrides() throws -> [String: URL] {
        var result: [String: URL] = [:]
        for item in paths {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--path takes corpus=DIR, not '\(item)'")
            }
            result[parts[0]] = URL(fileURLWithPath: parts[1])
        }
        return result
    }

    var progressStyle: ProgressReporter.Style {
        switch progress {
        case "bar": return .bar
        case "lines": return .lines
        case "none": return .silent
        default: return .automatic
        }
    }

    /// Runs the pipeline and turns the result into the exit status: rejections make it non-zero
    /// unless `--accept-rejections`.
    func execute(_ config: PipelineConfig) throws {
        var config = config
        if let seed { config.output.seed = seed }
        // What librosa only warns about (empty mel filters) is said, not refused.
        for warning in config.warnings {
            FileHandle.standardError.write(Data("warning: pipeline '\(config.name)': \(warning)\n".utf8))
        }
        let worker = try WorkerAssignment.resolve(index: shardIndex, count: shardCount)
        let (threads, threadSource) = try threads.map { ($0, "--threads") } ?? WorkerAssignment.threads()
        print("worker: \(worker.partition) (\(worker.source)); \(threads) threads (\(threadSource))")
        let request = Ingest.Request(config: config, dataRoot: data.map { URL(fileURLWithPath: $0) },
                                     paths: try pathOverrides(), output: URL(fileURLWithPath: out),
                                     threads: threads, progress: progressStyle, stopAfterShards: stopAfterShards,
                                     overwrite: overwrite, partition: worker.partition)
        let result = try Ingest.run(request)
        print(result.countsTable)
        if let lengths = result.clipLengths { print(lengths.summary) }
        print("")
        print("\(result.rows) rows in \(result.shardsWritten + result.shardsReused) shards "
              + "(\(result.shardsReused) kept from an earlier run) -> "
              + (result.finalized ? result.manifestURL.path : out + "/shards"))
        if !worker.partition.isWhole {
            let range = result.assignedShards
            print("\(worker.partition): shards \(range.lowerBound)..<\(range.upperBound) of \(result.plannedShards) "
                  + "written; the manifest is left to `pipe merge \(out)` once every worker is done")
        }
        print(RunSummary.timing(wallSeconds: result.wallSeconds, planned: result.assignedRows,
                                written: result.shardsWritten, reused: result.shardsReused))
        if !result.rejected.isEmpty {
            printError("\(result.rejected.count) inputs rejected (listed in the manifest):")
            for rejection in result.rejected.prefix(20) { printError("  \(rejection)") }
            if result.rejected.count > 20 { printError("  … and \(result.rejected.count - 20) more") }
        }
        if result.interrupted { throw ExitCode(4) }
        if !result.rejected.isEmpty && !acceptRejections { throw ExitCode(3) }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
