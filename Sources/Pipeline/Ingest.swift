import Augment
import Corpora
import Features
import Foundation
import Store
import TextTables

/// `pipe ingest` / `pipe run`: catalog the corpora, plan the shards, prepare the store folder
/// (`StoreFolder.prepare`: refuses other content, writes `plan.json`), compute and write the shards,
/// then finalize (`StoreFolder.finalize`: the manifest, last).
public enum Ingest {
    /// Everything a run needs besides the pipeline file.
    public struct Request {
        public var config: PipelineConfig
        /// Folder holding each corpus under its published folder name (the pipeline's `inputs.data`
        /// when nil).
        public var dataRoot: URL?
        /// Per-corpus folder overrides.
        public var paths: [String: URL]
        public var output: URL
        public var threads: Int
        public var progress: ProgressReporter.Style
        /// Stop after writing this many shards, as an interrupted run would (tests only).
        public var stopAfterShards: Int?
        /// Replace whatever `output` holds (only the tool's own files are removed).
        public var overwrite: Bool
        /// Rows per recording (variant 0 = as published; each variant has its own seed).
        public var variants: Int
        /// The shard indices this process computes; nil = all. Another process may compute the rest.
        public var shardIndices: Set<Int>?
        /// Write the manifest at the end when every planned shard is complete (a worker of a
        /// partitioned run leaves it to `StoreFolder.finalize`).
        public var finalize: Bool
        /// This process's worker of a partitioned run (`ShardPartition`: contiguous ranges of the
        /// plan's shards). A worker of several writes its shards and sidecars and `partition.json`,
        /// never the manifest: `pipe merge` (`StoreFolder.finalize`) does, once all are written.
        public var partition: ShardPartition

        public init(config: PipelineConfig, dataRoot: URL? = nil, paths: [String: URL] = [:], output: URL,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: ProgressReporter.Style = .automatic, stopAfterShards: Int? = nil,
                    overwrite: Bool = false, variants: Int = 1, shardIndices: Set<Int>? = nil, finalize: Bool = true,
                    partition: ShardPartition = .whole) {
            self.config = config
            self.dataRoot = dataRoot
            self.paths = paths
            self.output = output
            self.threads = threads
            self.progress = progress
            self.stopAfterShards = stopAfterShards
            self.overwrite = overwrite
            self.variants = variants
            self.shardIndices = shardIndices
            self.finalize = finalize
            self.partition = partition
        }
    }

    /// What a run did.
    public struct Result {
        public var manifestURL: URL
        public var rows: Int
        public var planned: Int
        public var rejected: [RejectedInput]
        public var shardsWritten: Int
        public var shardsReused: Int
        public var times: StageTimes
        public var wallSeconds: Double
        public var interrupted: Bool
        public var countsTable: String
        /// Whether the manifest was written (false for an interrupted run or a partial worker).
        public var finalized: Bool
        /// Clips padded, truncated or rejected as too short (nil unless the manifest was written).
        public var clipLengths: ClipLengths?
        /// The plan's shard indices this process was assigned, and the plan's shard count.
        public var assignedShards: Range<Int>
        public var plannedShards: Int
        /// Planned rows (clips × variants) in the assigned shards: what the clips/s rate counts.
        public var assignedRows: Int
    }

    public static func run(_ request: Request) throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        var config = request.config
        // A config built or changed in code gets the same augment checks as one read from a file.
        config.resolveAugment()
        if let augment = config.augment { try config.checkAugment(augment) }
        if request.overwrite && !request.partition.isWhole {
            throw PipelineError.invalidConfig("--overwrite with a partitioned run (\(request.partition)) would let one worker "
                + "remove the shards another has written: empty the store folder once, before starting the workers")
        }
        guard !config.inputs.corpora.isEmpty else {
            throw PipelineError.invalidConfig("no corpora to read: name them on the command line or in inputs.corpora")
        }
        // 1. Catalog every corpus.
        var recordings: [Recording] = []
        var rejections: [RejectedInput] = []
        var classes: [String] = []
        var attributes: [String] = []
        var targetCorpora: [String: [String]] = [:]
        var corpusLengths = CorpusClipLengths()
        for name in config.inputs.corpora {
            guard var recipe = CorpusRegistry.recipe(named: name) else {
                throw PipelineError.unknownCorpus(name, known: CorpusRegistry.names)
            }
            if let format = config.inputs.format {
                do { recipe = try recipe.reading(format: format) } catch {
                    throw PipelineError.invalidConfig("\(name): \(error)")
                }
            }
            let root = try corpusRoot(recipe: recipe, request: request)
            let catalog: CorpusCatalog
            do { catalog = try recipe.catalog(root: root) } catch {
                throw PipelineError.corpusUnavailable("\(name): \(error)")
            }
            if let clip = recipe.clipSeconds, let duration = config.audio.duration, duration > clip * 1.5 {
                throw PipelineError.invalidConfig(
                    "\(name) clips are \(clip) s long; audio.duration \(duration) s of pipeline "
                    + "'\(config.name)' would pad each with \(duration - clip) s of silence"
                    + (recipe.pipeline.map { "; use --pipeline pipelines/\($0).yaml" } ?? ""))
            }
            var kept = catalog.recordings
            // A split name selects by the corpus split or by a named subset of it (TAU 2022 `split25`).
            if let splits = config.inputs.splits {
                kept = kept.filter { splits.contains($0.split) || ($0.subsets ?? []).contains(where: splits.contains) }
            }
            if config.inputs.corpora.count > 1,
               let length = CorpusClipLengths.measure(corpus: name, declared: recipe.clipSeconds, recordings: kept) {
                corpusLengths.lengths.append(length)
            }
            if let hop = config.audio.segmentHop, let duration = config.audio.duration {
                kept = RecordingSegments.expand(kept, duration: duration, hop: hop)
            }
            recordings += kept
            rejections += catalog.issues.map { RejectedInput(path: $0.path, line: $0.line, reason: $0.reason, stage: "metadata") }
            for c in catalog.classes where !classes.contains(c) { classes.append(c) }
            attributes += recipe.attributeColumns
            if recipe.hasFrameTargets { targetCorpora[name] = recipe.classes }
        }
        try corpusLengths.check(config.audio, pipeline: config.name)
        guard !recordings.isEmpty else {
            let first = rejections.first.map { "; first problem: \($0)" } ?? ""
            throw PipelineError.corpusUnavailable(
                "nothing to ingest: no recordings found in \(config.inputs.corpora.joined(separator: ", "))"
                + " (\(rejections.count) metadata problems\(first))")
        }
        let ids = recordings.map(\.id)
        guard Set(ids).count == ids.count else {
            throw PipelineError.invalidConfig("recording ids are not unique across the corpora")
        }

        // 2. Plan, schema, config hash. Parameters that cannot work fail the run before any clip is read.
        try config.validate()
        // Filterbanks, kernels and FFT plans are built once here and shared by every worker.
        let features = FeatureSet(config.features)
        let schema = try RowSchema(config: config, extractors: features.extractors, classes: classes, attributes: attributes,
                                   frameTargets: targetCorpora, adpit: config.inputs.adpit)
        guard request.variants >= 1 else {
            throw PipelineError.invalidConfig("variants must be at least 1, not \(request.variants)")
        }
        // Offline augmentation: the bank (an input like a corpus), the chain, which rows get variants.
        var bank: ImpulseResponseInput?
        var chain: WaveformChain?
        var plan = ShardPlan(catalog: recordings, shardRows: config.output.shardRows, seed: config.output.seed,
                             variants: request.variants)
        if let augment = config.augment {
            guard request.variants == 1 else {
                throw PipelineError.invalidConfig("the pipeline's augment section sets the variants (\(augment.variants)); --variants \(request.variants) cannot be added to it")
            }
            if augment.needsBank {
                let loaded = try ImpulseResponseInput.load(folder: try ImpulseResponseInput.folder(request: request),
                                                           sampleRate: config.audio.sampleRate, resampler: config.audio.resampler)
                rejections += loaded.rejected
                bank = loaded
            }
            do { chain = try WaveformChain(augment.steps, bank: bank?.bank) } catch {
                throw PipelineError.invalidConfig(String(describing: error))
            }
            // The bank's spectra at the clip's FFT size, once, before the workers start.
            if let bank, let length = config.audio.targetLength(at: config.audio.sampleRate) {
                _ = bank.bank.spectra(size: bank.bank.fftSize(forClipLength: length))
            }
            plan = ShardPlan(catalog: recordings, shardRows: config.output.shardRows, seed: config.output.seed,
                             variantCount: augment.variants + 1) { recording in
                let split = CorpusRegistry.recipe(named: recording.corpus)?.datasetSplit(of: recording)
                    ?? (recording.labeled ? .train : .unlabeled)
                guard augment.selects(split: split.rawValue, device: recording.device) else { return [0] }
                return (augment.keepOriginal ? [0] : []) + Array(1...augment.variants)
            }
            guard plan.rowCount > 0 else {
                throw PipelineError.invalidConfig("augment: keep_original is false and no recording is of splits \(augment.splits) and devices \(augment.devices ?? []): nothing to write")
            }
        }
        let configHash = try hash(config: config, classes: classes, variants: request.variants, bank: bank?.files)

        // 3. Prepare the folder (refusing what must not be replaced), then execute.
        let storePlan = try StorePlan(
            pipeline: config.name, configHash: configHash, createdBy: "AcousticPipe \(Provenance.toolVersion)",
            libraries: Provenance.libraryVersions(), parameters: parameters(config: config, variants: request.variants, bank: bank?.files),
            columns: schema.columns, classes: schema.classes,
            shards: plan.shards.map { StorePlan.Shard(name: $0.name, rows: plan.plannedRows($0)) }, rejected: rejections,
            // Segments are cut from files, not padded or truncated to `duration`: no clip-length tally.
            clipLengths: config.audio.segmentHop != nil ? nil
                : config.audio.duration.map { ClipLengths(duration: $0, minDurationFraction: config.audio.minDurationFraction) })
        let folder = try StoreFolder.prepare(at: request.output, plan: storePlan, overwrite: request.overwrite)
        try folder.write(catalog(plan: plan), to: folder.layout.catalogURL)
        let assigned = request.partition.shards(of: plan.shards.count)
        var selected = request.shardIndices
        if !request.partition.isWhole {
            try folder.recordPartition(workers: request.partition.count)
            selected = Set(assigned).intersection(request.shardIndices ?? Set(assigned))
        }
        let engine = IngestEngine(config: config, plan: plan, schema: schema, features: features, folder: folder,
                                  selected: selected, threads: request.threads,
                                  progressStyle: request.progress, stopAfterShards: request.stopAfterShards, chain: chain)
        let outcome = try engine.run()
        rejections += outcome.records.flatMap(\.summary.rejected)

        // 4. The manifest, last: only when every planned shard is complete.
        let counts = ClassCount.merged(outcome.records.flatMap(\.summary.counts))
        let rows = outcome.records.reduce(0) { $0 + $1.rows }
        let complete = !outcome.interrupted && outcome.records.count == plan.shards.count
        var clipLengths: ClipLengths?
        let finalize = complete && request.finalize && request.partition.isWhole
        if finalize {
            let extra = try config.augment.map { try AugmentReport.write(folder: folder, augment: $0) }.map { [$0] } ?? []
            clipLengths = try folder.finalize(extraFiles: extra).clipLengths
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return Result(manifestURL: folder.layout.manifestURL, rows: rows, planned: plan.rowCount, rejected: RejectedInput.merged(rejections),
                      shardsWritten: outcome.records.count - outcome.reused, shardsReused: outcome.reused,
                      times: outcome.times, wallSeconds: wall, interrupted: outcome.interrupted,
                      countsTable: CountsTable.render(counts), finalized: finalize,
                      clipLengths: clipLengths, assignedShards: assigned, plannedShards: plan.shards.count,
                      assignedRows: plan.shards.filter { selected?.contains($0.index) ?? true }.reduce(0) { $0 + $1.members.count })
    }

    /// The manifest's `parameters`: the resolved config, plus the variant count when there are several.
    /// With an augment section, `augment_bank` lists the impulse responses in bank order (an
    /// `/aug/dir/index` is a position in it) with each file's SHA-256.
    static func parameters(config: PipelineConfig, variants: Int, bank: [ImpulseResponseInput.File]? = nil) throws -> JSONValue {
        var value = try JSONValue(encoding: config)
        if variants > 1, case .object(var object) = value {
            object["variants"] = .integer(Int64(variants))
            value = .object(object)
        }
        if let bank, case .object(var object) = value {
            object["augment_bank"] = try JSONValue(encoding: bank)
            value = .object(object)
        }
        return value
    }

    static func corpusRoot(recipe: any CorpusRecipe, request: Request) throws -> URL {
        if let override = request.paths[recipe.name] { return override }
        if let path = request.config.inputs.paths[recipe.name] { return URL(fileURLWithPath: path) }
        guard let data = request.dataRoot ?? request.config.inputs.data.map({ URL(fileURLWithPath: $0) }) else {
            throw PipelineError.invalidConfig("no data folder: pass --data DIR (holding \(recipe.folderName)/) or --path \(recipe.name)=DIR")
        }
        return data.appendingPathComponent(recipe.folderName)
    }

    /// SHA-256 over the resolved config, the class list and (when not 1) the variant count: two runs
    /// with the same hash write the same shards from the same catalog.
    static func hash(config: PipelineConfig, classes: [String], variants: Int = 1, bank: [ImpulseResponseInput.File]? = nil) throws -> String {
        var data = try config.canonicalJSON()
        data.append(Data(classes.joined(separator: "\n").utf8))
        if variants != 1 { data.append(Data("\nvariants=\(variants)".utf8)) }
        // Another bank (a file added, removed or changed) convolves other variants: another store.
        for file in bank ?? [] { data.append(Data("\nbank=\(file.path):\(file.sha256)".utf8)) }
        return SHA256Hasher.hex(of: data)
    }

    /// `catalog.jsonl`: one line per planned row, in plan order, with its shard and variant.
    static func catalog(plan: ShardPlan) throws -> Data {
        struct Line: Encodable { let shard: String; let recording: Recording; let variant: Int }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for shard in plan.shards {
            for member in shard.members {
                data.append(try encoder.encode(Line(shard: shard.name, recording: plan.recording(member),
                                                    variant: member.variant)))
                data.append(0x0A)
            }
        }
        return data
    }
}

/// The per corpus × class × split table printed after a run.
enum CountsTable {
    static func render(_ counts: [ClassCount]) -> String {
        let rows = counts.map { [$0.corpus, $0.label ?? "(unlabeled)", $0.split, String($0.count)] }
        return TextTable.render(header: ["corpus", "class", "split", "clips"], rows: rows, rightAligned: [3])
    }
}
