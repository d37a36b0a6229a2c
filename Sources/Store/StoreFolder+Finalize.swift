import Foundation

extension StoreFolder {
    /// Finalizes the store at `root`: checks every shard of its `plan.json` (sidecar present, same
    /// config hash and planned rows, file present with the sidecar's SHA-256 and row count), and only
    /// when all are good writes `manifest.json` by merging the sidecars. Each missing, stale or
    /// corrupt shard is named in the error. Shard files of an earlier, larger plan are removed, so
    /// the folder holds what the manifest lists.
    ///
    /// Any process may run it once every shard exists (`pipe merge STORE`); a single-process ingest
    /// runs it at the end. `extraFiles` (reports, a dataset card, written before) are checksummed
    /// into the manifest beside the catalog and the plan.
    @discardableResult
    public static func finalize(at root: URL, extraFiles: [String] = []) throws -> Manifest {
        try StoreFolder(at: root).finalize(extraFiles: extraFiles)
    }

    @discardableResult
    public func finalize(extraFiles: [String] = []) throws -> Manifest {
        let sidecars = try checkShards()

        removeShardFiles(notIn: Set(plan.shards.map(\.name)))
        var files: [StoreFile] = []
        for name in [layout.catalogURL.lastPathComponent, StorePlan.fileName] + extraFiles {
            let url = layout.root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let digest = try FileDigest.of(url)
            files.append(StoreFile(file: name, sha256: digest.sha256, bytes: digest.bytes))
        }
        let shards = sidecars.compactMap { $0.info?.inFolder("shards") }
        var manifest = Manifest(kind: .store, pipeline: plan.pipeline, configHash: plan.configHash,
                                createdBy: plan.createdBy, libraries: plan.libraries, parameters: plan.parameters,
                                columns: plan.columns, classes: plan.classes,
                                counts: ClassCount.merged(sidecars.flatMap(\.summary.counts)), shards: shards,
                                rejected: RejectedInput.merged(plan.rejected + sidecars.flatMap(\.summary.rejected)),
                                rowCount: shards.reduce(0) { $0 + $1.rows })
        if let policy = plan.clipLengths, plan.columns.contains(where: { $0.name == "meta/num_samples" }) {
            manifest.clipLengths = try ClipLengths.measure(
                shards: shards, in: layout.root, duration: policy.duration,
                minDurationFraction: policy.minDurationFraction, rejected: manifest.rejected)
        }
        manifest.files = files
        if let problem = manifest.validationProblem {
            throw StoreError.invalidManifest(path: layout.manifestURL.path, reason: problem)
        }
        try manifest.write(to: layout.manifestURL)
        // The reports and the card are computed from the complete store, then checksummed into the
        // manifest beside the catalog and the plan (the manifest is replaced atomically).
        for name in try StoreReports.write(for: layout.manifestURL) + extraFiles {
            let digest = try FileDigest.of(layout.root.appendingPathComponent(name))
            manifest.files = (manifest.files ?? []).filter { $0.file != name }
                + [StoreFile(file: name, sha256: digest.sha256, bytes: digest.bytes)]
        }
        try manifest.write(to: layout.manifestURL)
        return manifest
    }

    /// Removes `part-*` files of shards the plan does not have (left by an earlier run over a larger
    /// catalog or with smaller shards), and the records older versions kept beside shards. Lock files
    /// are left to their holders.
    private func removeShardFiles(notIn names: Set<String>) {
        let fm = FileManager.default
        for file in (try? fm.contentsOfDirectory(atPath: layout.shardsDirectory.path)) ?? [] {
            guard StoreLayout.isShardFileName(file), !file.hasSuffix(".lock"),
                  let stem = file.split(separator: ".").first.map(String.init),
                  !names.contains(stem) || file.hasSuffix(".plan.json") else { continue }   // .plan.json: the old record
            try? fm.removeItem(at: layout.shardsDirectory.appendingPathComponent(file))
        }
    }

    /// Checks every shard of the plan as `finalize` does and returns their sidecars in plan order, or
    /// throws `incompleteStore` naming each missing, stale or corrupt one (and the worker that owes
    /// it). Run before writing anything derived from the shards (a report) so nothing is written
    /// for an incomplete store.
    @discardableResult
    public func checkShards() throws -> [ShardSidecar] {
        try requirePlanOnDisk()
        var sidecars: [ShardSidecar] = []
        var problems: [String] = []
        for (index, shard) in plan.shards.enumerated() {
            do {
                let sidecar = try validatedSidecar(shard)
                if let info = sidecar.info {
                    let reader = try ShardReader(url: layout.shardsDirectory.appendingPathComponent(info.file),
                                                 verifying: info, columns: plan.columns)
                    guard reader.rowCount == sidecar.rows else {
                        throw StoreError.invalidState(path: reader.url.path, reason:
                            "holds \(reader.rowCount) rows, its sidecar says \(sidecar.rows)")
                    }
                }
                sidecars.append(sidecar)
            } catch StoreError.missingFile(let path) {
                problems.append("\(shard.name): missing (\(path)); \(owner(ofShard: index))")
            } catch {
                problems.append("\(shard.name): \(error); \(owner(ofShard: index))")
            }
        }
        guard problems.isEmpty else { throw StoreError.incompleteStore(path: layout.root.path, problems: problems) }
        return sidecars
    }
}
