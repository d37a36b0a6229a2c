import Corpora
import Features
import Foundation
import Store

/// `pipe ingest` / `pipe run`: catalog the corpora, plan the shards, compute and write them, then
/// write the manifest last.
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

        public init(config: PipelineConfig, dataRoot: URL? = nil, paths: [String: URL] = [:], output: URL,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: ProgressReporter.Style = .automatic, stopAfterShards: Int? = nil) {
            self.config = config
            self.dataRoot = dataRoot
            self.paths = paths
            self.output = output
            self.threads = threads
            self.progress = progress
            self.stopAfterShards = stopAfterShards
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
    }

    public static func run(_ request: Request) throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        let config = request.config
        guard !config.inputs.corpora.isEmpty else {
            throw PipelineError.invalidConfig("no corpora to read: name them on the command line or in inputs.corpora")
        }
        // 1. Catalog every corpus.
        var recordings: [Recording] = []
        var rejections: [RejectedInput] = []
        var classes: [String] = []
        for name in config.inputs.corpora {
            guard let recipe = CorpusRegistry.recipe(named: name) else {
                throw PipelineError.unknownCorpus(name, known: CorpusRegistry.names)
            }
            let root = try corpusRoot(recipe: recipe, request: request)
            let catalog: CorpusCatalog
            do { catalog = try recipe.catalog(root: root) } catch {
                throw PipelineError.corpusUnavailable("\(name): \(error)")
            }
            var kept = catalog.recordings
            if let splits = config.inputs.splits { kept = kept.filter { splits.contains($0.split) } }
            recordings += kept
            rejections += catalog.issues.map { RejectedInput(path: $0.path, line: $0.line, reason: $0.reason, stage: "metadata") }
            for c in catalog.classes where !classes.contains(c) { classes.append(c) }
        }
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
        let schema = try RowSchema(config: config, extractors: features.extractors, classes: classes)
        let plan = ShardPlan(catalog: recordings, shardRows: config.output.shardRows, seed: config.output.seed)
        let configHash = try hash(config: config, classes: classes)

        // 3. Execute.
        let layout = StoreLayout(root: request.output)
        try layout.prepare()
        try writeCatalog(plan: plan, layout: layout)
        let engine = IngestEngine(config: config, configHash: configHash, plan: plan, schema: schema,
                                  features: features, layout: layout, threads: request.threads,
                                  progressStyle: request.progress, stopAfterShards: request.stopAfterShards)
        let outcome = try engine.run()
        rejections += outcome.records.flatMap(\.rejected)

        // 4. The manifest, last — only for a complete run.
        var counts: [String: Int] = [:]
        for record in outcome.records { for (key, n) in record.counts { counts[key, default: 0] += n } }
        let rows = outcome.records.compactMap(\.shard).reduce(0) { $0 + $1.rows }
        if !outcome.interrupted {
            layout.removeShards(notIn: Set(plan.shards.map(\.name)))
            let manifest = try StoreManifestBuilder.build(config: config, configHash: configHash, schema: schema,
                                                          records: outcome.records, counts: counts,
                                                          rejections: rejections)
            try manifest.write(to: layout.manifestURL)
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return Result(manifestURL: layout.manifestURL, rows: rows, planned: plan.recordings.count, rejected: rejections,
                      shardsWritten: outcome.records.count - outcome.reused, shardsReused: outcome.reused,
                      times: outcome.times, wallSeconds: wall, interrupted: outcome.interrupted,
                      countsTable: CountsTable.render(counts))
    }

    static func corpusRoot(recipe: any CorpusRecipe, request: Request) throws -> URL {
        if let override = request.paths[recipe.name] { return override }
        if let path = request.config.inputs.paths[recipe.name] { return URL(fileURLWithPath: path) }
        guard let data = request.dataRoot ?? request.config.inputs.data.map({ URL(fileURLWithPath: $0) }) else {
            throw PipelineError.invalidConfig("no data folder: pass --data DIR (holding \(recipe.folderName)/) or --path \(recipe.name)=DIR")
        }
        return data.appendingPathComponent(recipe.folderName)
    }

    /// SHA-256 over the resolved config and the class list: two runs with the same hash write the same shards
    /// from the same catalog.
    static func hash(config: PipelineConfig, classes: [String]) throws -> String {
        var data = try config.canonicalJSON()
        data.append(Data(classes.joined(separator: "\n").utf8))
        return SHA256Hasher.hex(of: data)
    }

    /// `catalog.jsonl`: one line per planned recording, in plan order, with its shard.
    static func writeCatalog(plan: ShardPlan, layout: StoreLayout) throws {
        struct Line: Encodable { let shard: String; let recording: Recording }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for shard in plan.shards {
            for member in shard.members {
                data.append(try encoder.encode(Line(shard: shard.name, recording: plan.recordings[member])))
                data.append(0x0A)
            }
        }
        try DurableFile.write(data, to: layout.catalogURL)
    }
}

/// The per corpus × class × split table printed after a run.
enum CountsTable {
    static func render(_ counts: [String: Int]) -> String {
        let rows = counts.sorted { $0.key < $1.key }.map { (key, n) -> [String] in
            let parts = key.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return [parts[0], parts[1].isEmpty ? "(unlabeled)" : parts[1], parts[2], String(n)]
        }
        return TextTable.render(header: ["corpus", "class", "split", "clips"], rows: rows, rightAligned: [3])
    }
}
