import Corpora
import DSP
import Features
import Foundation
import Store

/// Executes a shard plan: one worker thread per core computes clips, one writer thread writes
/// shards in plan order. Queues are bounded, and a shard's rows are the only rows held in memory,
/// so peak memory depends on `shard_rows` and the thread count, never on the corpus size.
///
/// Each finished shard is committed (temporary name, fsync, rename, sidecar) and then recorded in
/// `shards/<name>.plan.json`; a rerun skips every shard whose record matches the plan and config,
/// which makes an interrupted run resumable with a byte-identical result.
final class IngestEngine {
    let config: PipelineConfig
    let configHash: String
    let plan: ShardPlan
    let schema: RowSchema
    let extractors: [any FeatureExtractor]
    let layout: StoreLayout
    let threads: Int
    let progressStyle: ProgressReporter.Style
    /// For tests of interruption: stop (as if killed) after writing this many shards.
    let stopAfterShards: Int?

    init(config: PipelineConfig, configHash: String, plan: ShardPlan, schema: RowSchema,
         extractors: [any FeatureExtractor], layout: StoreLayout, threads: Int,
         progressStyle: ProgressReporter.Style, stopAfterShards: Int?) {
        self.config = config
        self.configHash = configHash
        self.plan = plan
        self.schema = schema
        self.extractors = extractors
        self.layout = layout
        self.threads = max(1, threads)
        self.progressStyle = progressStyle
        self.stopAfterShards = stopAfterShards
    }

    struct Outcome {
        var records: [ShardRecord]
        var reused: Int
        var times: StageTimes
        var interrupted: Bool
    }

    private struct Job { let position: Int; let recording: Recording }

    func run() throws -> Outcome {
        BLAS.useSingleThread()
        var records = [ShardRecord?](repeating: nil, count: plan.shards.count)
        var pending: [ShardPlan.Shard] = []
        for shard in plan.shards {
            let ids = shard.members.map { plan.recordings[$0].id }
            if let record = layout.completedRecord(for: shard.name, configHash: configHash, ids: ids) {
                records[shard.index] = record
            } else {
                pending.append(shard)
            }
        }
        let reused = plan.shards.count - pending.count
        let jobs = pending.flatMap { $0.members }
        let progress = ProgressReporter(total: jobs.count, label: config.name, style: progressStyle)

        let queue = BoundedQueue<Job>(capacity: threads * 4)
        let results = ReorderBuffer<ClipOutcome>(window: threads * 8)
        let timesLock = NSLock()
        var times = StageTimes()
        var workerError: Error?

        // Processors are made here, on the calling thread, so configuration errors surface at once.
        let processors = try (0..<threads).map { _ in try ClipProcessor(config: config, extractors: extractors, schema: schema) }
        var workers: [Thread] = []
        let finished = DispatchGroup()
        for processor in processors {
            finished.enter()
            let thread = Thread {
                while let job = queue.pop() {
                    let outcome = processor.process(job.recording)
                    results.put(outcome, at: job.position)
                }
                timesLock.lock()
                times.decode += processor.timing.decode
                times.resample += processor.timing.resample
                times.features += processor.featureSeconds
                timesLock.unlock()
                finished.leave()
            }
            thread.stackSize = 8 << 20
            workers.append(thread)
        }

        // The writer runs on its own thread and takes outcomes strictly in plan order.
        var written: [ShardRecord] = []
        var writeSeconds = 0.0
        var interrupted = false
        finished.enter()
        let writer = Thread { [self] in
            defer { finished.leave() }
            var position = 0
            for shard in pending {
                var rows: [ShardRow] = []
                var rejected: [RejectedInput] = []
                for member in shard.members {
                    _ = member
                    let outcome = results.takeNext()
                    position += 1
                    switch outcome {
                    case .row(let row): rows.append(row)
                    case .rejected(let rejection): rejected.append(rejection)
                    }
                    progress.advance(rejected: { if case .rejected = outcome { return true }; return false }())
                }
                if interrupted { continue }
                let start = DispatchTime.now().uptimeNanoseconds
                do {
                    let ids = shard.members.map { plan.recordings[$0].id }
                    let record = try layout.writeShard(name: shard.name, rows: rows, rejected: rejected, plannedIDs: ids,
                                                       schema: schema, config: config, configHash: configHash)
                    written.append(record)
                } catch {
                    timesLock.lock()
                    workerError = workerError ?? error
                    timesLock.unlock()
                    interrupted = true
                }
                writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                if let stop = stopAfterShards, written.count >= stop { interrupted = true }
            }
            _ = position
        }
        writer.stackSize = 8 << 20
        workers.forEach { $0.start() }
        writer.start()

        for (position, member) in jobs.enumerated() {
            queue.push(Job(position: position, recording: plan.recordings[member]))
        }
        queue.close()
        finished.wait()
        progress.finish()

        if let workerError { throw workerError }
        for record in written {
            if let index = plan.shards.firstIndex(where: { $0.name == record.name }) { records[index] = record }
        }
        times.write = writeSeconds
        return Outcome(records: records.compactMap { $0 }, reused: reused, times: times, interrupted: interrupted)
    }
}
