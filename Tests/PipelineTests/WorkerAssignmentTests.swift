import Pipeline
import Store
import XCTest

/// Where a worker finds its index: flags, then each launcher's variables in the documented order.
final class WorkerAssignmentTests: XCTestCase {
    func resolve(_ environment: [String: String], index: Int? = nil, count: Int? = nil) throws -> WorkerAssignment {
        try WorkerAssignment.resolve(index: index, count: count, environment: environment)
    }

    func testNothingSetIsOneProcess() throws {
        let worker = try resolve(["HOME": "/root"])
        XCTAssertEqual(worker.partition, .whole)
        XCTAssertTrue(worker.partition.isWhole)
    }

    func testFlagsWinOverEveryLauncher() throws {
        let worker = try resolve(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4", "RANK": "1", "WORLD_SIZE": "2"],
                                 index: 1, count: 5)
        XCTAssertEqual(worker.partition, try ShardPartition(index: 1, count: 5))
        XCTAssertEqual(worker.source, "--shard-index/--shard-count")
        XCTAssertThrowsError(try resolve([:], index: 1))            // an index needs a count
        XCTAssertThrowsError(try resolve([:], index: 5, count: 5))  // outside 0..<5
    }

    /// As observed on Slurm 22.05: an array's ids are relative to its MIN and STEP; inside an array
    /// task under srun both sets exist, and the array wins.
    func testSlurmArrayRelativeToMinAndStepWinsOverProcid() throws {
        let sparse = try resolve(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2",
                                  "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_PROCID": "1", "SLURM_NTASKS": "2"])
        XCTAssertEqual(sparse.partition, try ShardPartition(index: 2, count: 4))
        XCTAssertTrue(sparse.source.hasPrefix("SLURM_ARRAY_TASK_ID=5"), sparse.source)
        XCTAssertThrowsError(try resolve(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1",
                                          "SLURM_ARRAY_TASK_STEP": "2", "SLURM_ARRAY_TASK_COUNT": "4"]))   // off the step
        XCTAssertThrowsError(try resolve(["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "4"]))  // beyond the count
        XCTAssertThrowsError(try resolve(["SLURM_ARRAY_TASK_ID": "1"]))                                 // no count
        XCTAssertThrowsError(try resolve(["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"], count: 3))
    }

    func testSlurmTasksNeedNTasks() throws {
        XCTAssertEqual(try resolve(["SLURM_PROCID": "1", "SLURM_NTASKS": "2"]).partition, try ShardPartition(index: 1, count: 2))
        // A plain sbatch job: SLURM_PROCID=0 and no SLURM_NTASKS is one worker, not an error.
        XCTAssertEqual(try resolve(["SLURM_PROCID": "0", "SLURM_JOB_ID": "12"]).partition, .whole)
        // ... and falls through to the next launcher.
        XCTAssertEqual(try resolve(["SLURM_PROCID": "0", "OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "3"]).partition,
                       try ShardPartition(index: 1, count: 3))
    }

    func testOpenMPIThenPMIThenKubernetesThenTorchrun() throws {
        let all = ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2", "PMI_RANK": "2", "PMI_SIZE": "3",
                   "JOB_COMPLETION_INDEX": "3", "RANK": "4", "WORLD_SIZE": "5"]
        XCTAssertEqual(try resolve(all).partition, try ShardPartition(index: 1, count: 2))
        var rest = all
        rest["OMPI_COMM_WORLD_RANK"] = nil
        rest["OMPI_COMM_WORLD_SIZE"] = nil
        XCTAssertEqual(try resolve(rest).partition, try ShardPartition(index: 2, count: 3))
        rest["PMI_RANK"] = nil
        rest["PMI_SIZE"] = nil
        XCTAssertThrowsError(try resolve(rest))   // JOB_COMPLETION_INDEX without a count
        XCTAssertEqual(try resolve(rest, count: 4).partition, try ShardPartition(index: 3, count: 4))
        rest["JOB_COMPLETION_INDEX"] = nil
        XCTAssertEqual(try resolve(rest).partition, try ShardPartition(index: 4, count: 5))
        XCTAssertEqual(try resolve(["RANK": "0"]).partition, .whole)   // RANK alone is not a partition
        XCTAssertThrowsError(try resolve(["OMPI_COMM_WORLD_RANK": "1"]))  // a rank without a size
    }

    func testGarbageIsAnErrorNamingTheVariable() {
        XCTAssertThrowsError(try resolve(["PMI_RANK": "x", "PMI_SIZE": "2"])) { error in
            XCTAssertTrue(String(describing: error).contains("PMI_RANK=x"), "\(error)")
        }
        XCTAssertThrowsError(try resolve(["RANK": "-1", "WORLD_SIZE": "2"]))
        XCTAssertThrowsError(try resolve(["RANK": "2", "WORLD_SIZE": "2"]))
        XCTAssertThrowsError(try resolve([:], count: 3))   // a count and no index anywhere
    }

    func testThreadsFromSlurmCpusPerTask() throws {
        XCTAssertEqual(try WorkerAssignment.threads(environment: ["SLURM_CPUS_PER_TASK": "3"]).0, 3)
        XCTAssertGreaterThanOrEqual(try WorkerAssignment.threads(environment: [:]).0, 1)
        XCTAssertThrowsError(try WorkerAssignment.threads(environment: ["SLURM_CPUS_PER_TASK": "0"]))
        // The affinity mask as /proc/self/status writes it (32-bit hex groups, most significant first).
        XCTAssertEqual(WorkerAssignment.affinityCores(status: "Name:\tpipe\nCpus_allowed:\t00000000,00000005\nCpus_allowed_list:\t0,2\n"), 2)
        XCTAssertEqual(WorkerAssignment.affinityCores(status: "Cpus_allowed:\tff,ffffffff\n"), 40)
        XCTAssertNil(WorkerAssignment.affinityCores(status: "Name:\tpipe\n"))
    }

    /// Contiguous ranges cover every shard once, differ by at most one shard, and `owner` inverts them.
    func testPartitionCoversEveryShardOnceAndOwnerInvertsIt() throws {
        for shardCount in [0, 1, 2, 7, 9, 64, 1001] {
            for workers in [1, 2, 3, 4, 8, 13] {
                var seen: [Int] = []
                var sizes: [Int] = []
                for index in 0..<workers {
                    let range = try ShardPartition(index: index, count: workers).shards(of: shardCount)
                    sizes.append(range.count)
                    for shard in range {
                        XCTAssertEqual(ShardPartition.owner(of: shard, shardCount: shardCount, count: workers), index)
                    }
                    seen += range
                }
                XCTAssertEqual(seen, Array(0..<shardCount), "\(shardCount) shards, \(workers) workers")
                XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1)
            }
        }
    }
}
