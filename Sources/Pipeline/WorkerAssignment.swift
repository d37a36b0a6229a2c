import Foundation
import Store

/// Which worker of a partitioned run this process is, and where that was read from.
///
/// No MPI library is linked: every launcher already tells its processes their rank through the
/// environment, and that is all a worker needs (the plan is deterministic, so the shards it owes
/// follow from its index and the worker count; `ShardPartition`).
///
/// Order (the first that applies wins; explicit flags win over all):
/// 1. `--shard-index I --shard-count N`;
/// 2. a Slurm job array: `SLURM_ARRAY_TASK_ID` relative to `SLURM_ARRAY_TASK_MIN`, divided by
///    `SLURM_ARRAY_TASK_STEP` (`--array=0-3`, `1-7:2`), with `SLURM_ARRAY_TASK_COUNT` workers;
///    it wins over `SLURM_PROCID`, so `srun` inside an array task does not re-partition;
/// 3. Slurm tasks: `SLURM_PROCID` / `SLURM_NTASKS` (only when `SLURM_NTASKS` is set: a plain
///    `sbatch` job has `SLURM_PROCID=0` and no `SLURM_NTASKS`, and is one worker);
/// 4. Open MPI: `OMPI_COMM_WORLD_RANK` / `OMPI_COMM_WORLD_SIZE`;
/// 5. MPICH Hydra and other PMI launchers: `PMI_RANK` / `PMI_SIZE`;
/// 6. a Kubernetes Indexed Job: `JOB_COMPLETION_INDEX`, whose count is not in the environment:
///    `--shard-count N` is required;
/// 7. torchrun / WebDataset convention: `RANK` / `WORLD_SIZE` (both must be set).
/// None applies: one process computes every shard and writes the manifest.
public struct WorkerAssignment: Equatable, Sendable {
    public var partition: ShardPartition
    /// Where the index and count came from, in words (`pipe` prints it).
    public var source: String

    public init(partition: ShardPartition, source: String) {
        self.partition = partition
        self.source = source
    }

    /// Resolves the worker from the flags and the environment (see the type's doc for the order).
    /// A variable that is set but not a non-negative integer, an index outside its count, a count
    /// flag that contradicts the launcher's, or `--shard-index` without a count is an error: a
    /// worker that guessed would compute another worker's shards, or all of them.
    public static func resolve(index: Int?, count: Int?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> WorkerAssignment {
        func value(_ name: String) throws -> Int? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let number = Int(text), number >= 0 else {
                throw PipelineError.invalidConfig("\(name)=\(text) is not a non-negative integer")
            }
            return number
        }
        func make(_ index: Int, _ launcherCount: Int, _ source: String) throws -> WorkerAssignment {
            if let count, count != launcherCount {
                throw PipelineError.invalidConfig("--shard-count \(count) contradicts \(source), which gives \(launcherCount) workers")
            }
            guard launcherCount >= 1, index < launcherCount else {
                throw PipelineError.invalidConfig("\(source): index \(index) is outside 0..<\(launcherCount)")
            }
            return WorkerAssignment(partition: try ShardPartition(index: index, count: launcherCount), source: source)
        }

        if let index {
            guard let count else { throw PipelineError.invalidConfig("--shard-index needs --shard-count") }
            guard count >= 1, (0..<count).contains(index) else {
                throw PipelineError.invalidConfig("--shard-index \(index) is outside 0..<\(count) (--shard-count \(count))")
            }
            return WorkerAssignment(partition: try ShardPartition(index: index, count: count), source: "--shard-index/--shard-count")
        }
        if let id = try value("SLURM_ARRAY_TASK_ID") {
            guard let total = try value("SLURM_ARRAY_TASK_COUNT") else {
                throw PipelineError.invalidConfig("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
            }
            let minimum = try value("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = max(1, try value("SLURM_ARRAY_TASK_STEP") ?? 1)
            guard id >= minimum, (id - minimum) % step == 0 else {
                throw PipelineError.invalidConfig("SLURM_ARRAY_TASK_ID=\(id) is not on the array's range "
                    + "(SLURM_ARRAY_TASK_MIN=\(minimum), SLURM_ARRAY_TASK_STEP=\(step)): use --array=0-(N-1) or pass --shard-index")
            }
            return try make((id - minimum) / step, total,
                            "SLURM_ARRAY_TASK_ID=\(id) (min \(minimum), step \(step)) of SLURM_ARRAY_TASK_COUNT=\(total)")
        }
        if let procid = try value("SLURM_PROCID"), let tasks = try value("SLURM_NTASKS") {
            return try make(procid, tasks, "SLURM_PROCID=\(procid) of SLURM_NTASKS=\(tasks)")
        }
        let pairs = [("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMI_RANK", "PMI_SIZE")]
        for (rankName, sizeName) in pairs {
            guard let rank = try value(rankName) else { continue }
            guard let size = try value(sizeName) else {
                throw PipelineError.invalidConfig("\(rankName) is set but \(sizeName) is not")
            }
            return try make(rank, size, "\(rankName)=\(rank) of \(sizeName)=\(size)")
        }
        if let completion = try value("JOB_COMPLETION_INDEX") {
            guard let count else {
                throw PipelineError.invalidConfig("JOB_COMPLETION_INDEX=\(completion) is set but the worker count is not in the environment: pass --shard-count N")
            }
            return try make(completion, count, "JOB_COMPLETION_INDEX=\(completion) of --shard-count \(count)")
        }
        if let rank = try value("RANK"), let size = try value("WORLD_SIZE") {
            return try make(rank, size, "RANK=\(rank) of WORLD_SIZE=\(size)")
        }
        if let count {
            guard count == 1 else {
                throw PipelineError.invalidConfig("--shard-count \(count) without --shard-index, and no launcher variable gives this worker's index")
            }
            return WorkerAssignment(partition: .whole, source: "--shard-count 1")
        }
        return WorkerAssignment(partition: .whole, source: "no launcher variables: one process")
    }

    /// The worker thread count: `SLURM_CPUS_PER_TASK` when Slurm gives this task its cores (one
    /// thread per core it may use), else the cores of this process's CPU affinity mask (what
    /// `taskset`, `srun --cpu-bind` or `mpirun --bind-to` leave it; the threads inherit the mask,
    /// so they stay on those cores), else every core.
    public static func threads(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (Int, String) {
        if let text = environment["SLURM_CPUS_PER_TASK"] {
            guard let cpus = Int(text), cpus >= 1 else {
                throw PipelineError.invalidConfig("SLURM_CPUS_PER_TASK=\(text) is not a positive integer")
            }
            return (cpus, "SLURM_CPUS_PER_TASK=\(cpus)")
        }
        if let cores = affinityCores() { return (cores, "CPU affinity mask") }
        return (ProcessInfo.processInfo.activeProcessorCount, "cores available")
    }

    /// The number of CPUs in this process's affinity mask (Foundation's `activeProcessorCount`
    /// ignores it), read from `Cpus_allowed` in /proc/self/status (`sched_getaffinity` is not in
    /// Glibc's Swift module); nil when it cannot be read.
    public static func affinityCores(status: String? = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) -> Int? {
        guard let line = status?.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        var count = 0
        for group in line.dropFirst("Cpus_allowed:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            guard let bits = UInt64(group, radix: 16) else { return nil }
            count += bits.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }
}
