import Augment
import Corpora
import DSP
import Features
import Foundation
import Store

/// Executes a shard plan: one worker thread per core computes clips, one writer thread writes
/// shards in plan order. Queues are bounded, and a shard's rows are the only rows held in memory,
/// so peak memory depends on `shard_rows` and the thread count, never on the corpus size.
///
/// Each finished shard is committed through the `StoreFolder` (temporary name, fsync, rename, one
/// sidecar); a rerun skips every shard whose sidecar matches the plan and config and whose file
/// matches its SHA-256, which makes an interrupted run resumable with a byte-identical result. The
/// shards it will write are locked first, so a second process that would write them is refused
/// before any work.
final class IngestEngine {
    let config: PipelineConfig
    let plan: ShardPlan
    let schema: RowSchema
    let features: FeatureSet
    let folder: StoreFolder
    /// The shards this process computes (all of them unless a partition says otherwise).
    let selected: Set<Int>?
    let threads: Int
    let progressStyle: ProgressReporter.Style
    /// For tests of interruption: stop (as if killed) after writing this many shards.
    let stopAfterShards: Int?
    /// The waveform augmentations of rows of variant > 0, shared by every worker.
    let chain: WaveformChain?

    init(config: PipelineConfig, plan: ShardPlan, schema: RowSchema, features: FeatureSet,
         folder: StoreFolder, selected: Set<Int>?, threads: Int,
         progressStyle: ProgressReporter.Style, stopAfterShards: Int?, chain: WaveformChain? = nil) {
        self.chain = chain
        self.config = config
        self.plan = plan
        self.schema = schema
        self.features = features
        self.folder = folder
        self.selected = selected
        self.threads = max(1, threads)
        self.progressStyle = progressStyle
        self.stopAfterShards = stopAfterShards
    }

    struct Outcome {
        /// The sidecars of the selected shards that are complete, in plan order.
        var records: [ShardSidecar]
        var reused: Int
        var times: StageTimes
        var interrupted: Bool
    }

    private struct Job { let position: Int; let row: ShardPlan.Row }

    func run() throws -> Outcome {
        BLAS.useSingleThread()
        var records = [ShardSidecar?](repeating: nil, count: plan.shards.count)
        let mine = plan.shards.filter { selected?.contains($0.index) ?? true }
        func unfinished(_ shards: [ShardPlan.Shard]) -> [ShardPlan.Shard] {
            shards.filter { shard in
                if let sidecar = folder.completedShard(folder.plan.shards[shard.index]) {
                    records[shard.index] = sidecar
                    return false
                }
                return true
            }
        }
        // Lock what is to be written, then look again: another process may have finished a shard
        // between the first look and the lock.
        let candidates = unfinished(mine)
        let locks = try folder.lock(candidates.map(\.name))
        defer { locks.forEach { $0.release() } }
        let pending = unfinished(candidates)
        if !pending.isEmpty { try folder.withdrawManifest() }
        let jobs = pending.flatMap { $0.members }
        let progress = ProgressReporter(total: jobs.count, label: config.name, style: progressStyle)
        let queue = BoundedQueue<Job>(capacity: threads * 4)
        // Whole recordings (megabytes a row) wait for the writer one at a time; clips up to 8 per worker.
        let results = ReorderBuffer<ClipOutcome>(window: schema.variableLength ? 1 : threads * 8)
        let state = RunState()

        // Processors are made here, on the calling thread, so configuration errors surface at once.
        let processors = try (0..<threads).map { _ in try ClipProcessor(config: config, features: features, schema: schema, chain: chain) }
        let finished = DispatchGroup()
        var threadsToStart: [Thread] = []
        let plan = self.plan
        for processor in processors {
            finished.enter()
            threadsToStart.append(Thread {
                while let job = queue.pop() {
                    results.put(processor.process(plan.recording(job.row), variant: job.row.variant,
                                                  seed: plan.seed(of: job.row)), at: job.position)
                }
                state.addWorkerTimes(processor)
                finished.leave()
            })
        }
        // The one writer takes outcomes strictly in plan order and writes each shard when it is complete.
        finished.enter()
        threadsToStart.append(Thread { [self, pending] in
            writeShards(pending, results: results, progress: progress, state: state)
            finished.leave()
        })
        for thread in threadsToStart {
            thread.stackSize = 8 << 20
            thread.start()
        }
        for (position, member) in jobs.enumerated() {
            queue.push(Job(position: position, row: member))
        }
        queue.close()
        finished.wait()
        progress.finish()

        if let error = state.error { throw error }
        for record in state.written {
            if let index = plan.shards.firstIndex(where: { $0.name == record.name }) { records[index] = record }
        }
        return Outcome(records: records.compactMap { $0 }, reused: mine.count - pending.count,
                       times: state.times, interrupted: state.interrupted)
    }

    /// The writer thread's loop. After an error or an interruption it keeps draining outcomes (so the
    /// workers can finish) but writes nothing more.
    private func writeShards(_ shards: [ShardPlan.Shard], results: ReorderBuffer<ClipOutcome>,
                             progress: ProgressReporter, state: RunState) {
        if schema.variableLength {
            return streamShards(shards, results: results, progress: progress, state: state)
        }
        for shard in shards {
            var rows: [ShardRow] = []
            var rejected: [RejectedInput] = []
            for _ in shard.members {
                switch results.takeNext() {
                case .row(let row):
                    rows.append(row)
                    progress.advance(rejected: false)
                case .rejected(let rejection):
                    rejected.append(rejection)
                    progress.advance(rejected: true)
                }
            }
            guard !state.interrupted else { continue }
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let record = try folder.commitShard(folder.plan.shards[shard.index], rows: rows,
                                                    counts: schema.counts(of: rows), rejected: rejected)
                state.shardWritten(record, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                   stopAfter: stopAfterShards)
            } catch {
                state.fail(error)
            }
        }
    }
}

extension IngestEngine {
    /// The writer loop of a store of whole recordings (`audio.length: keep`): each row goes to the
    /// shard's file as it arrives (`StoreFolder.beginShard`), so the writer holds one row and the
    /// column writers' chunk buffers, never a shard's rows; only their metadata is kept, for the counts.
    fileprivate func streamShards(_ shards: [ShardPlan.Shard], results: ReorderBuffer<ClipOutcome>,
                                  progress: ProgressReporter, state: RunState) {
        let countColumns: Set<String> = ["meta/label", "meta/source", "meta/split"]
        for shard in shards {
            let planned = folder.plan.shards[shard.index]
            var writer: ShardWriter?
            if !state.interrupted {
                do { writer = try folder.beginShard(planned) } catch { state.fail(error) }
            }
            var kept: [ShardRow] = []
            var rejected: [RejectedInput] = []
            var writeNanos: UInt64 = 0
            for _ in shard.members {
                switch results.takeNext() {
                case .row(let row):
                    progress.advance(rejected: false)
                    guard let open = writer, !state.interrupted else { continue }
                    let start = DispatchTime.now().uptimeNanoseconds
                    defer { writeNanos += DispatchTime.now().uptimeNanoseconds - start }
                    do { try open.write(row: row, at: kept.count) } catch {
                        state.fail(error)
                        writer = nil
                    }
                    kept.append(ShardRow(row.values.filter { countColumns.contains($0.key) }))
                case .rejected(let rejection):
                    rejected.append(rejection)
                    progress.advance(rejected: true)
                }
            }
            guard let writer, !state.interrupted else { continue }
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let record = try folder.finishShard(planned, writer: writer, writtenRows: kept.count,
                                                    counts: schema.counts(of: kept), rejected: rejected)
                writeNanos += DispatchTime.now().uptimeNanoseconds - start
                state.shardWritten(record, seconds: Double(writeNanos) / 1e9,
                                   stopAfter: stopAfterShards)
            } catch {
                state.fail(error)
            }
        }
    }
}

/// What the worker and writer threads report back, behind one lock.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var times = StageTimes()
    private(set) var written: [ShardSidecar] = []
    private(set) var error: Error?
    private var stopped = false

    var interrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    func addWorkerTimes(_ processor: ClipProcessor) {
        lock.lock()
        times.decode += processor.timing.decode
        times.resample += processor.timing.resample
        times.features += processor.featureSeconds
        lock.unlock()
    }

    func shardWritten(_ record: ShardSidecar, seconds: Double, stopAfter: Int?) {
        lock.lock()
        written.append(record)
        times.write += seconds
        if let stopAfter, written.count >= stopAfter { stopped = true }
        lock.unlock()
    }

    func fail(_ error: Error) {
        lock.lock()
        if self.error == nil { self.error = error }
        stopped = true
        lock.unlock()
    }
}
