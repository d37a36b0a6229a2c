import Foundation
import TestSupport
import XCTest

/// A partitioned ingest as several real `pipe` processes at once (what a Slurm array or `mpirun`
/// starts), then `pipe merge`: the store must equal a single-process store byte for byte.
final class ScaleOutTests: XCTestCase {
    var binary: URL { Repository.url(".build/debug/pipe") }

    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        var env = ProcessInfo.processInfo.environment
        for name in ["SLURM_ARRAY_TASK_ID", "SLURM_PROCID", "SLURM_NTASKS", "OMPI_COMM_WORLD_RANK", "PMI_RANK",
                     "JOB_COMPLETION_INDEX", "RANK", "WORLD_SIZE", "SLURM_CPUS_PER_TASK"] { env[name] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("scaleout-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return (process, log)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let (process, log) = try start(arguments, environment: environment)
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: log) }
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }

    func testParallelWorkersThenMergeEqualOneProcessAndMergeNamesTheWorkerThatOwes() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary.path),
                      "\(binary.path) is missing: `make test` builds it before running the tests")
        let fixture = try PipelineFixture(corpora: ["tau2020", "cochlscene"], perClass: 1)
        defer { fixture.remove() }
        let yaml = try String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 10.0", with: "duration: 1.0")
            .replacingOccurrences(of: "shard_rows: 128", with: "shard_rows: 6")
        let pipeline = fixture.url("short.yaml")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        let base = ["ingest", "tau2020", "cochlscene", "--pipeline", pipeline.path, "--data", fixture.data.path,
                    "--progress", "none", "--threads", "1"]
        let single = fixture.url("single"), merged = fixture.url("merged")
        let one = try run(base + ["--out", single.path])
        XCTAssertEqual(one.status, 0, one.output)

        // Four workers at once into one empty folder: they prepare it together (one plan.json).
        // Two by flags, two by launcher variables.
        let workers = try [
            start(base + ["--out", merged.path, "--shard-index", "0", "--shard-count", "4"]),
            start(base + ["--out", merged.path], environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4",
                                                               "SLURM_ARRAY_TASK_MIN": "0"]),
            start(base + ["--out", merged.path], environment: ["OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_SIZE": "4"]),
            start(base + ["--out", merged.path, "--shard-index", "3", "--shard-count", "4"]),
        ]
        for (index, (process, log)) in workers.enumerated() {
            process.waitUntilExit()
            let output = try String(contentsOf: log, encoding: .utf8)
            XCTAssertEqual(process.terminationStatus, 0, "worker \(index): \(output)")
            XCTAssertTrue(output.contains("worker \(index) of 4"), output)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: merged.appendingPathComponent("manifest.json").path),
                       "a worker of a partitioned run wrote the manifest")

        // One worker's shards lost: merge names each and the worker that owes it, and writes nothing.
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: single.appendingPathComponent("plan.json"))) as? [String: Any]
        let shardCount = try XCTUnwrap(plan?["shards"] as? [Any]).count
        XCTAssertGreaterThanOrEqual(shardCount, 8)
        let lost = (2 * shardCount / 4)..<(3 * shardCount / 4)
        for index in lost {
            let name = String(format: "part-%05d", index)
            try FileManager.default.removeItem(at: merged.appendingPathComponent("shards/\(name).json"))
        }
        let refused = try run(["merge", merged.path])
        XCTAssertEqual(refused.status, 1, refused.output)
        for index in lost {
            XCTAssertTrue(refused.output.contains(String(format: "part-%05d: missing", index)), refused.output)
        }
        XCTAssertEqual(refused.output.components(separatedBy: "owed by worker 2 of 4").count - 1, lost.count, refused.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: merged.appendingPathComponent("manifest.json").path))

        // Rerun only that worker, then merge: the store is complete and equal to one process's.
        let rerun = try run(base + ["--out", merged.path], environment: ["RANK": "2", "WORLD_SIZE": "4"])
        XCTAssertEqual(rerun.status, 0, rerun.output)
        XCTAssertTrue(rerun.output.contains("\(lost.count) shards (0 kept"), rerun.output)
        let merge = try run(["merge", merged.path])
        XCTAssertEqual(merge.status, 0, merge.output)
        var expected = try PipelineFixture.files(under: single)
        var actual = try PipelineFixture.files(under: merged)
        XCTAssertNotNil(actual.removeValue(forKey: "partition.json"))
        expected = expected.filter { !$0.key.hasSuffix(".lock") }
        actual = actual.filter { !$0.key.hasSuffix(".lock") }
        XCTAssertEqual(Set(actual.keys), Set(expected.keys))
        for (name, bytes) in expected {
            XCTAssertEqual(actual[name], bytes, "\(name) differs between the merged and the single-process store")
        }
        XCTAssertEqual(try run(["verify", merged.path]).status, 0)
    }

    func testOverwriteIsRefusedForAWorker() throws {
        let fixture = try PipelineFixture(corpora: ["tau2020"], perClass: 1)
        defer { fixture.remove() }
        let result = try run(["ingest", "tau2020", "--data", fixture.data.path, "--out", fixture.url("s").path,
                              "--overwrite", "--progress", "none"], environment: ["PMI_RANK": "0", "PMI_SIZE": "2"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("--overwrite with a partitioned run"), result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.url("s").path), "a refused worker touched the folder")
    }

    /// The script as submitted: a fake `sbatch` records each job's options; running a job's
    /// `--wrap` through bash must give the worker exactly the words it was given (quoting), the
    /// array and the afterok dependency must be there, and a rerun passes the index explicitly.
    func testSlurmScriptSubmitsTheArrayAndTheDependentMerge() throws {
        let fixture = try PipelineFixture(corpora: [], perClass: 1)
        defer { fixture.remove() }
        let bin = fixture.url("bin"), record = fixture.url("sbatch.log")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fakes = [("sbatch", "printf '%s\\n' \"$@\" >> \(record.path); echo '===' >> \(record.path); echo 41"),
                     ("fakepipe", "printf '<%s>' \"$@\"; echo")]
        for (name, body) in fakes {
            try "#!/bin/bash\n\(body)\n".write(to: bin.appendingPathComponent(name), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(name).path)
        }
        let script = try run(["slurm-script", "--workers", "3", "--cpus-per-task", "2", "--sbatch=--partition=cpu",
                              "--logs", fixture.url("logs").path, "--pipe", bin.appendingPathComponent("fakepipe").path, "--",
                              "ingest", "tau2020", "--data", "/corpora/it's here $HOME", "--out", "/shared/store"])
        XCTAssertEqual(script.status, 0, script.output)
        try script.output.write(to: fixture.url("submit.sh"), atomically: true, encoding: .utf8)
        func submit(_ extra: [String]) throws -> (ids: String, jobs: [[String]]) {
            try? FileManager.default.removeItem(at: record)
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/bash")
            shell.arguments = [fixture.url("submit.sh").path] + extra
            shell.environment = ["PATH": bin.path + ":/usr/bin:/bin"]
            let out = Pipe()
            shell.standardOutput = out
            try shell.run()
            let ids = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            shell.waitUntilExit()
            XCTAssertEqual(shell.terminationStatus, 0)
            let text = try String(contentsOf: record, encoding: .utf8)
            return (ids, text.components(separatedBy: "===\n").filter { !$0.isEmpty }.map { $0.split(separator: "\n").map(String.init) })
        }
        func wrapped(_ job: [String], task: String = "1") throws -> String {
            let wrap = try XCTUnwrap(job.first { $0.hasPrefix("--wrap=") }).dropFirst(7)
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/bash")
            shell.arguments = ["-c", String(wrap)]
            shell.environment = ["SLURM_ARRAY_TASK_ID": task, "HOME": "/nowhere"]
            let out = Pipe()
            shell.standardOutput = out
            try shell.run()
            defer { shell.waitUntilExit() }
            return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        let all = try submit([])
        XCTAssertEqual(all.ids, "41 41\n")
        XCTAssertEqual(all.jobs.count, 2)
        XCTAssertTrue(all.jobs[0].contains("--array=0-2") && all.jobs[0].contains("--cpus-per-task=2")
                      && all.jobs[0].contains("--partition=cpu"), "\(all.jobs[0])")
        XCTAssertTrue(all.jobs[1].contains("--dependency=afterok:41") && all.jobs[1].contains("--partition=cpu"), "\(all.jobs[1])")
        XCTAssertEqual(try wrapped(all.jobs[0]), "<ingest><tau2020><--data></corpora/it's here $HOME><--out></shared/store>"
                       + "<--accept-rejections><--progress><lines>\n")
        XCTAssertEqual(try wrapped(all.jobs[1]), "<merge></shared/store>\n")
        let rerun = try submit(["2"])
        XCTAssertTrue(rerun.jobs[0].contains("--array=2"), "\(rerun.jobs[0])")
        XCTAssertTrue(try wrapped(rerun.jobs[0], task: "2").hasSuffix("<--shard-index><2><--shard-count><3>\n"))

        XCTAssertEqual(try run(["slurm-script", "--workers", "3", "--", "ingest", "tau2020", "--data", "d"]).status, 64)
        let flagged = try run(["slurm-script", "--workers", "3", "--", "ingest", "--out", "s", "--shard-index", "1"])
        XCTAssertEqual(flagged.status, 64)
        XCTAssertTrue(flagged.output.contains("leave --shard-index out"), flagged.output)
    }
}
