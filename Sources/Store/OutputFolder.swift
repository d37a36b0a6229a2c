import Foundation

/// What an output folder holds before a command writes into it, and the one rule every writing
/// command follows: never replace something by surprise.
///
/// - absent or empty: write;
/// - a store or view of the same config: resume or rewrite it (that is what a rerun is for);
/// - a store of another config (another seed included), a view where a store goes (or the reverse),
///   a damaged manifest, or any file this tool does not write: refused before any work, unless
///   `overwrite`, which then removes only the tool's own files (`StoreLayout.isOwnFile`, plus the
///   files the old manifest lists) and leaves every other file where it is.
public struct OutputFolder {
    /// What the folder holds.
    public enum Content: Equatable {
        case empty
        /// A store (finished or not) and its config hash (nil when it cannot be read).
        case store(configHash: String?)
        /// A view and its config hash.
        case view(configHash: String?)
        /// Only files this tool did not write.
        case foreign
    }

    public let layout: StoreLayout
    public let content: Content
    /// Files (relative paths) that are not this tool's. Files under `reports/` and a top-level
    /// `README.md` (a dataset card) are not counted: finalize writes them just before the manifest,
    /// so a run killed in between leaves them unlisted. They are never deleted unless listed.
    public let strayFiles: [String]
    /// Files (relative paths) that are this tool's.
    public let ownFiles: [String]

    /// Looks at `root` (which need not exist).
    public init(root: URL) throws {
        layout = StoreLayout(root: root)
        var own: [String] = [], stray: [String] = [], finalizeOutputs: [String] = []
        var listed = Set<String>()
        let manifest = try? Manifest.loadUnchecked(from: layout.manifestURL)
        if let manifest {
            listed.formUnion(manifest.shards.map(\.file) + (manifest.columnFiles ?? []).map(\.file)
                             + (manifest.files ?? []).map(\.file))
        }
        for file in try Self.files(under: layout.root) {
            if StoreLayout.isOwnFile(file) || listed.contains(file) {
                own.append(file)
            } else if StoreLayout.isWrittenAtFinalize(file) {
                finalizeOutputs.append(file)
            } else {
                stray.append(file)
            }
        }
        let plan = try? StorePlan.load(from: layout.planURL)
        // Reports and a README.md are a store's only beside a plan or manifest; in any other folder
        // they are someone else's (a README.md there must never be replaced by a dataset card).
        if plan == nil, manifest == nil { stray += finalizeOutputs }
        ownFiles = own.sorted()
        strayFiles = stray.sorted()
        if let manifest, manifest.kind == .view {
            content = .view(configHash: manifest.configHash)
        } else if let plan {
            content = .store(configHash: plan.configHash)
        } else if let manifest {
            content = .store(configHash: manifest.configHash)
        } else if own.contains(where: { !$0.hasSuffix(".tmp") && !$0.hasSuffix(".lock") }) {
            content = .store(configHash: nil)
        } else {
            // Nothing, or only another writer's temporary and lock files (a run preparing right now).
            content = stray.isEmpty ? .empty : .foreign
        }
    }

    /// Checks that a store of `configHash` may be written here, removing the old store's or view's
    /// own files first when it is replaced (`overwrite`). Returns true when an unfinished or
    /// finished store of the same config is resumed.
    @discardableResult
    public func claimForStore(configHash: String, overwrite: Bool) throws -> Bool {
        if !overwrite { try refuseStrays() }
        switch content {
        case .empty, .foreign: return false
        case .store(let existing) where existing == configHash: return true
        case .store(let existing):
            guard overwrite else {
                throw StoreError.outputInUse(path: layout.root.path, reason: existing.map {
                    "holds a store of another configuration (config hash \($0.prefix(12))…, this run \(configHash.prefix(12))…: "
                        + "another seed, pipeline or catalog)"
                } ?? "holds store files that cannot be identified (no readable plan.json or manifest.json)")
            }
        case .view:
            guard overwrite else {
                throw StoreError.outputInUse(path: layout.root.path, reason: "holds a view, not a store")
            }
        }
        try removeOwnFiles()
        return false
    }

    /// Checks that a view of `configHash` may be written here. The old view's files are not removed
    /// here: a view is replaced only once the new one is complete (`ViewWriter.commit`).
    public func claimForView(configHash: String, overwrite: Bool) throws {
        if !overwrite { try refuseStrays() }
        switch content {
        case .empty, .foreign: return
        case .view(let existing) where existing == configHash: return
        case .view(let existing):
            guard overwrite else {
                throw StoreError.outputInUse(path: layout.root.path, reason:
                    "holds a view of another configuration (config hash \((existing ?? "?").prefix(12))…, this one \(configHash.prefix(12))…)")
            }
        case .store:
            guard overwrite else {
                throw StoreError.outputInUse(path: layout.root.path, reason: "holds a store, not a view")
            }
        }
    }

    /// Removes the tool's own files (never a stray file), then folders left empty.
    public func removeOwnFiles(except keep: Set<String> = []) throws {
        let fm = FileManager.default
        for file in ownFiles where !keep.contains(file) && !file.hasSuffix(".lock") {
            let url = layout.root.appendingPathComponent(file)
            do { try fm.removeItem(at: url) } catch {
                throw StoreError.io(operation: "remove", path: url.path, reason: error.localizedDescription)
            }
        }
    }

    private func refuseStrays() throws {
        guard !strayFiles.isEmpty else { return }
        let shown = strayFiles.prefix(5).joined(separator: ", ") + (strayFiles.count > 5 ? ", …" : "")
        throw StoreError.outputInUse(path: layout.root.path, reason:
            "holds \(strayFiles.count) file(s) that are not a store's or view's (\(shown))")
    }

    /// Every regular file under `root`, relative to it; [] when `root` does not exist.
    static func files(under root: URL) throws -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            throw StoreError.outputInUse(path: root.path, reason: "is a file, not a folder")
        }
        var result: [String] = []
        let base = root.resolvingSymlinksInPath().path
        guard let enumerator = fm.enumerator(at: root.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isDirectoryKey]) else {
            return []
        }
        while let url = enumerator.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true { continue }
            let path = url.resolvingSymlinksInPath().path
            result.append(path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : url.lastPathComponent)
        }
        return result
    }
}
