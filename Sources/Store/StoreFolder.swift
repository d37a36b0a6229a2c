import Foundation

/// A store's lifecycle on disk: prepare the folder, commit shards, finalize the manifest.
///
/// ```swift
/// let folder = try StoreFolder.prepare(at: out, plan: plan, overwrite: false)   // refuses other content
/// let locks = try folder.lock(pendingNames)                                     // refuses a second writer
/// let sidecar = try folder.commitShard(plan.shards[0], rows: rows, summary: summary)
/// let manifest = try StoreFolder.finalize(at: out)    // any process, once every planned shard exists
/// ```
///
/// Prepare writes `plan.json` before any shard, so finalizing needs nothing but the folder. Shards
/// are written under per-shard locks with per-writer temporary names, so several processes (the
/// workers of a partitioned run) can fill one folder at once.
public struct StoreFolder: Sendable {
    public let layout: StoreLayout
    public let plan: StorePlan

    /// Checks what `root` holds (see `OutputFolder`: an empty or missing folder, or an unfinished or
    /// finished store of the same config is fine; anything else is refused unless `overwrite`,
    /// which removes only the tool's own files), creates the folders and writes `plan.json`.
    public static func prepare(at root: URL, plan: StorePlan, overwrite: Bool) throws -> StoreFolder {
        let output = try OutputFolder(root: root)
        try output.claimForStore(configHash: plan.configHash, overwrite: overwrite)
        let folder = StoreFolder(layout: output.layout, plan: plan)
        try DurableFile.makeDirectory(folder.layout.shardsDirectory)
        try DurableFile.makeDirectory(folder.layout.reportsDirectory)
        // Same config, same bytes: a second process preparing at the same time writes the same plan.
        try DurableFile.writeJSON(plan, to: folder.layout.planURL)
        return folder
    }

    /// Opens a prepared folder by its `plan.json`.
    public init(at root: URL) throws {
        layout = StoreLayout(root: root)
        plan = try StorePlan.load(from: layout.planURL)
    }

    init(layout: StoreLayout, plan: StorePlan) {
        self.layout = layout
        self.plan = plan
    }

    /// Writes a file of the store's own (e.g. `catalog.jsonl`) atomically.
    public func write(_ data: Data, to url: URL) throws {
        try DurableFile.write(data, to: url)
    }

    /// The sidecar of `shard` if the shard is complete and is the one the plan asks for: the sidecar
    /// decodes, names this config and these planned rows, and the file's SHA-256 and size match it.
    /// Anything else (no sidecar, a flipped byte, a same-size replacement) means: compute it again.
    public func completedShard(_ shard: StorePlan.Shard) -> ShardSidecar? {
        try? validatedSidecar(shard)
    }

    /// Like `completedShard`, but says why a shard is not complete.
    func validatedSidecar(_ shard: StorePlan.Shard) throws -> ShardSidecar {
        let sidecarURL = layout.sidecarURL(shard.name)
        guard FileManager.default.fileExists(atPath: sidecarURL.path) else {
            throw StoreError.missingFile(path: sidecarURL.path)
        }
        let sidecar = try ShardSidecar.load(from: sidecarURL)
        guard sidecar.summary.configHash == plan.configHash else {
            throw StoreError.invalidState(path: sidecarURL.path, reason:
                "stale: written under config hash \(sidecar.summary.configHash ?? "none"), the plan's is \(plan.configHash)")
        }
        guard sidecar.summary.planned == shard.rows else {
            throw StoreError.invalidState(path: sidecarURL.path, reason: "stale: holds other rows than the plan gives this shard")
        }
        guard let info = sidecar.info else {
            guard sidecar.rows == 0, sidecar.summary.rejected.count == shard.rows.count else {
                throw StoreError.invalidState(path: sidecarURL.path, reason: "no file, yet not every planned row was rejected")
            }
            return sidecar
        }
        let url = layout.shardsDirectory.appendingPathComponent(info.file)
        try VerifiedFiles.require(url, sha256: info.sha256, bytes: info.bytes)
        guard sidecar.rows + sidecar.summary.rejected.count == shard.rows.count else {
            throw StoreError.invalidState(path: sidecarURL.path, reason:
                "\(sidecar.rows) rows and \(sidecar.summary.rejected.count) rejections for \(shard.rows.count) planned")
        }
        return sidecar
    }

    /// Locks the named shards, in plan order, or throws `StoreError.locked` (holding none) if any is
    /// held by another process. Leftover temporary files of a locked shard belong to a dead writer
    /// and are removed. Locks are released when the returned values are dropped.
    public func lock(_ names: [String]) throws -> [ShardLock] {
        var locks: [ShardLock] = []
        for name in names {
            locks.append(try ShardLock.acquire(layout.lockURL(name)))
        }
        try requirePlanOnDisk()
        for name in names { try removeTemporaryFiles(of: name) }
        return locks
    }

    /// Checks that `plan.json` is still this folder's plan: two runs of different configs that
    /// prepared an empty folder at the same moment both passed the content check, and the later
    /// plan won; the run whose plan lost must not write shards or a manifest.
    func requirePlanOnDisk() throws {
        let onDisk = try StorePlan.load(from: layout.planURL)
        guard onDisk == plan else {
            throw StoreError.outputInUse(path: layout.root.path, reason:
                "another run with another configuration (config hash \(onDisk.configHash.prefix(12))…) prepared this folder at the same time")
        }
    }

    /// Removes the manifest before shards are rewritten: while they are, the store is unfinished and
    /// no reader may see a manifest naming files that no longer match it.
    public func withdrawManifest() throws {
        let url = layout.manifestURL
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do { try FileManager.default.removeItem(at: url) } catch {
            throw StoreError.io(operation: "remove the old manifest", path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes one planned shard from its accepted `rows` (in plan order) and its sidecar, which
    /// carries `counts` and `rejected`. With no accepted row only the sidecar is written. Call it
    /// while holding the shard's lock.
    @discardableResult
    public func commitShard(_ shard: StorePlan.Shard, rows: [ShardRow], counts: [ClassCount],
                            rejected: [RejectedInput]) throws -> ShardSidecar {
        let summary = ShardSummary(configHash: plan.configHash, planned: shard.rows, counts: counts, rejected: rejected)
        guard !rows.isEmpty else {
            try? FileManager.default.removeItem(at: layout.shardURL(shard.name))
            let sidecar = ShardSidecar(name: shard.name, info: nil, ids: [], columns: plan.columns, summary: summary)
            try DurableFile.writeJSON(sidecar, to: layout.sidecarURL(shard.name))
            return sidecar
        }
        let writer = try ShardWriter(directory: layout.shardsDirectory, name: shard.name, schema: plan.columns,
                                     rowCount: rows.count,
                                     attributes: ["schema_version": String(Manifest.currentSchemaVersion),
                                                  "pipeline": plan.pipeline, "config_hash": plan.configHash])
        for (index, row) in rows.enumerated() { try writer.write(row: row, at: index) }
        try writer.commit(summary: summary)
        guard let sidecar = writer.sidecar else {
            throw StoreError.invalidState(path: layout.sidecarURL(shard.name).path, reason: "commit wrote no sidecar")
        }
        return sidecar
    }

    /// Opens planned shard `shard` for rows streamed one at a time, in plan order (`commitShard`
    /// holds them all): what a store of whole recordings needs, whose rows are megabytes each. The
    /// writer is made for every planned row; `finishShard` commits the rows written. Call it while
    /// holding the shard's lock; a writer dropped unfinished deletes its temporary file.
    public func beginShard(_ shard: StorePlan.Shard) throws -> ShardWriter {
        try ShardWriter(directory: layout.shardsDirectory, name: shard.name, schema: plan.columns,
                        rowCount: shard.rows.count, attributes: shardAttributes)
    }

    /// Commits a shard opened by `beginShard` with the rows written to it (shrunk to them), or,
    /// when none was, only its sidecar, as `commitShard` does.
    @discardableResult
    public func finishShard(_ shard: StorePlan.Shard, writer: ShardWriter, writtenRows: Int, counts: [ClassCount],
                            rejected: [RejectedInput]) throws -> ShardSidecar {
        guard writtenRows > 0 else { return try commitShard(shard, rows: [], counts: counts, rejected: rejected) }
        let summary = ShardSummary(configHash: plan.configHash, planned: shard.rows, counts: counts, rejected: rejected)
        try writer.commitWritten(summary: summary)
        guard let sidecar = writer.sidecar else {
            throw StoreError.invalidState(path: layout.sidecarURL(shard.name).path, reason: "commit wrote no sidecar")
        }
        return sidecar
    }

    private var shardAttributes: [String: String] {
        ["schema_version": String(Manifest.currentSchemaVersion), "pipeline": plan.pipeline, "config_hash": plan.configHash]
    }

    private func removeTemporaryFiles(of name: String) throws {
        let prefix = name + ".h5."
        for file in (try? FileManager.default.contentsOfDirectory(atPath: layout.shardsDirectory.path)) ?? []
        where file.hasPrefix(prefix) && file.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: layout.shardsDirectory.appendingPathComponent(file))
        }
    }
}
