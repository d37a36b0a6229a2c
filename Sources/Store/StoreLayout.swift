import Foundation

/// Where each file of a store or view lives (README, "The store"), and which files are the store's
/// own: the only files `--overwrite` may delete.
///
/// ```
/// <store>/manifest.json   plan.json   catalog.jsonl   reports/
/// <store>/shards/part-00000.h5  part-00000.json  part-00000.lock (while a writer holds it)
/// <view>/manifest.json   columns/labels-<token>-00000.h5  labels-<token>-00000.json   reports/
/// ```
public struct StoreLayout: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public var manifestURL: URL { root.appendingPathComponent(Manifest.fileName) }
    /// Written at prepare time: everything finalize needs, so any process can finalize.
    public var planURL: URL { root.appendingPathComponent(StorePlan.fileName) }
    public var catalogURL: URL { root.appendingPathComponent("catalog.jsonl") }
    public var shardsDirectory: URL { root.appendingPathComponent("shards") }
    public var columnsDirectory: URL { root.appendingPathComponent("columns") }
    public var reportsDirectory: URL { root.appendingPathComponent("reports") }

    public func shardURL(_ name: String) -> URL { shardsDirectory.appendingPathComponent(name + ".h5") }
    public func sidecarURL(_ name: String) -> URL { shardsDirectory.appendingPathComponent(name + ".json") }
    public func lockURL(_ name: String) -> URL { shardsDirectory.appendingPathComponent(name + ".lock") }

    /// Top-level files a store or view writes.
    static let ownTopLevelFiles: Set<String> = [Manifest.fileName, StorePlan.fileName, "catalog.jsonl",
                                                        ShardPartition.fileName]
    /// Reports written by the tool itself (others are listed in the manifest's `files`).
    static let ownReports: Set<String> = ["labels-merge.txt", "augment.json"]

    /// Whether `relative` (a path under the root, e.g. "shards/part-00003.h5") is a file this tool
    /// writes. Anything else in the folder is the user's and is never deleted.
    static func isOwnFile(_ relative: String) -> Bool {
        let parts = relative.split(separator: "/").map(String.init)
        if parts.last?.hasSuffix(".tmp") == true, parts.count <= 2,
           parts.count == 1 || ["shards", "columns", "reports"].contains(parts[0]) {
            return true   // a writer's temporary file (`<file>.<token>.tmp`)
        }
        switch parts.count {
        case 1: return ownTopLevelFiles.contains(parts[0])
        case 2:
            let (folder, name) = (parts[0], parts[1])
            if folder == "shards" { return isShardFileName(name) }
            if folder == "columns" { return name.hasSuffix(".h5") || name.hasSuffix(".json") }
            if folder == "reports" { return ownReports.contains(name) }
            return false
        default: return false
        }
    }

    /// Files finalize writes before the manifest lists them (reports, the dataset card): a folder
    /// holding them is still a store's, but they are the tool's only once a manifest lists them.
    static func isWrittenAtFinalize(_ relative: String) -> Bool {
        relative == "README.md" || (relative.hasPrefix("reports/") && !relative.dropFirst(8).contains("/"))
    }

    /// "part-NNNNN" followed by ".h5", ".json", ".lock" or the old ".plan.json" record.
    static func isShardFileName(_ name: String) -> Bool {
        guard name.hasPrefix("part-") else { return false }
        for suffix in [".plan.json", ".h5", ".json", ".lock"] where name.hasSuffix(suffix) {
            let digits = name.dropFirst(5).dropLast(suffix.count)
            return !digits.isEmpty && digits.allSatisfy(\.isNumber)
        }
        return false
    }
}
