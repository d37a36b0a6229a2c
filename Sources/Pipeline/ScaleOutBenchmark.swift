import Foundation
import Store

/// `make bench`, scale-out part: the ingest rate of N worker processes through the partition (each
/// `pipe ingest --shard-index I --shard-count N`, then `pipe merge`), and what the reduce step costs
/// for many shards, so that the merge is known not to become the bottleneck at scale. Measured,
/// never asserted.
public enum ScaleOutBenchmark {
    public struct IngestRun {
        public var workers: Int
        public var threadsPerWorker: Int
        public var clips: Int
        /// From the first worker's start to the last one's exit.
        public var workerSeconds: Double
        public var mergeSeconds: Double
        public var clipsPerSecond: Double { Double(clips) / (workerSeconds + mergeSeconds) }
    }

    public struct ReduceRun {
        public var shards: Int
        public var writeSeconds: Double
        public var mergeSeconds: Double
        public var storeBytes: Int64
    }

    /// Runs `pipe` (at `executable`) as `workers` processes of `threadsPerWorker` threads each over
    /// `clips` bench clips (10-s 48 kHz stereo, kept in `work/audio-<clips>`), into a fresh store,
    /// then `pipe merge`. Each worker's output goes to `work/logs`.
    public static func ingest(executable: URL, pipeline: URL, clips: Int, workers: Int, threadsPerWorker: Int,
                              shardRows: Int, work: URL) throws -> IngestRun {
        let audio = work.appendingPathComponent("audio-\(clips)")
        _ = try Benchmark.makeClips(count: clips, in: audio)
        let yaml = try String(contentsOf: pipeline, encoding: .utf8)
        guard let range = yaml.range(of: #"shard_rows: *[0-9]+"#, options: .regularExpression) else {
            throw PipelineError.invalidConfig("\(pipeline.path) has no output.shard_rows line to set for the bench")
        }
        let benchPipeline = work.appendingPathComponent("scaleout-\(shardRows).yaml")
        try yaml.replacingCharacters(in: range, with: "shard_rows: \(shardRows)")
            .write(to: benchPipeline, atomically: true, encoding: .utf8)
        let store = work.appendingPathComponent("scaleout-store-\(workers)x\(threadsPerWorker)")
        let logs = work.appendingPathComponent("logs")
        try? FileManager.default.removeItem(at: store)
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)

        let started = DispatchTime.now().uptimeNanoseconds
        var processes: [Process] = []
        for index in 0..<workers {
            var arguments = ["ingest", "folder", "--pipeline", benchPipeline.path, "--path", "folder=\(audio.path)",
                             "--out", store.path, "--threads", String(threadsPerWorker), "--progress", "none",
                             "--accept-rejections"]
            if workers > 1 { arguments += ["--shard-index", String(index), "--shard-count", String(workers)] }
            processes.append(try launch(executable, arguments,
                                        log: logs.appendingPathComponent("worker-\(workers)x\(threadsPerWorker)-\(index).log")))
        }
        for (index, process) in processes.enumerated() {
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw PipelineError.output("bench worker \(index) of \(workers) exited \(process.terminationStatus); see \(logs.path)")
            }
        }
        let workersDone = DispatchTime.now().uptimeNanoseconds
        if workers > 1 {
            let merge = try launch(executable, ["merge", store.path], log: logs.appendingPathComponent("merge-\(workers).log"))
            merge.waitUntilExit()
            guard merge.terminationStatus == 0 else { throw PipelineError.output("bench merge failed; see \(logs.path)") }
        }
        let mergeDone = DispatchTime.now().uptimeNanoseconds
        return IngestRun(workers: workers, threadsPerWorker: threadsPerWorker, clips: clips,
                         workerSeconds: Double(workersDone - started) / 1e9, mergeSeconds: Double(mergeDone - workersDone) / 1e9)
    }

    /// Writes a store of `shards` small real shards (2 rows each: a 64×10 float32 feature, an id, a
    /// label, and one sidecar per shard, as workers would), then times `StoreFolder.finalize` over it:
    /// every sidecar decoded, every shard file opened and hashed, the manifest and reports written.
    public static func reduce(shards: Int, work: URL) throws -> ReduceRun {
        let root = work.appendingPathComponent("reduce-\(shards)")
        try? FileManager.default.removeItem(at: root)
        let columns = [ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: [64, 10]),
                       ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32)]
        let plan = StorePlan(pipeline: "reduce-bench", configHash: "reduce-bench-\(shards)", createdBy: "ScaleOutBenchmark",
                             libraries: LibraryVersions.current(), parameters: ["shards": .integer(Int64(shards))],
                             columns: columns, classes: ["a", "b"],
                             shards: (0..<shards).map { shard in
                                 StorePlan.Shard(name: String(format: "part-%05d", shard),
                                                 rows: (0..<2).map { PlannedRow(id: "clip-\(shard * 2 + $0)") })
                             })
        let folder = try StoreFolder.prepare(at: root, plan: plan, overwrite: false)
        let started = DispatchTime.now().uptimeNanoseconds
        for (index, shard) in plan.shards.enumerated() {
            let rows: [ShardRow] = (0..<2).map { row in
                ["features/logmel": .float32((0..<640).map { Float(index * 2 + row) + Float($0) / 640 }),
                 "meta/id": .string("clip-\(index * 2 + row)"), "meta/label": .int32(Int32(row))]
            }
            try folder.commitShard(shard, rows: rows,
                                   counts: [ClassCount(corpus: "bench", label: "a", split: "train", count: 1),
                                            ClassCount(corpus: "bench", label: "b", split: "train", count: 1)],
                                   rejected: [])
        }
        let written = DispatchTime.now().uptimeNanoseconds
        try StoreFolder.finalize(at: root)
        let merged = DispatchTime.now().uptimeNanoseconds
        var bytes: Int64 = 0
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.layout.shardsDirectory.path)) ?? [] {
            let url = folder.layout.shardsDirectory.appendingPathComponent(file)
            bytes += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        try? FileManager.default.removeItem(at: root)
        return ReduceRun(shards: shards, writeSeconds: Double(written - started) / 1e9,
                         mergeSeconds: Double(merged - written) / 1e9, storeBytes: bytes)
    }

    static func launch(_ executable: URL, _ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}
