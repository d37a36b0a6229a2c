import Augment
import Foundation
import Store

extension AugmentReport {
    /// Finalizes the store at `root` from the folder alone (`pipe merge`), with `reports/augment.json`
    /// when the plan's parameters hold an `augment:` section: everything the report says is a function
    /// of those parameters (the resolved steps, the variant count) and the shards' `/meta/variant` and
    /// `/aug/*` columns, so the partitioned run's report is the single-process run's, byte for byte.
    /// The shards are checked first; the report is written only for a complete store.
    @discardableResult
    public static func finalizeStore(at root: URL) throws -> Manifest {
        let folder = try StoreFolder(at: root)
        guard let section = folder.plan.parameters["augment"] else { return try folder.finalize() }
        let augment: AugmentConfig
        do { augment = try section.decode(as: AugmentConfig.self) } catch {
            throw StoreError.invalidState(path: folder.layout.root.appendingPathComponent(StorePlan.fileName).path,
                                          reason: "its parameters.augment cannot be read (\(error))")
        }
        // A first pass names every missing or corrupt shard before any report is written.
        try folder.checkShards()
        return try folder.finalize(extraFiles: [try write(folder: folder, augment: augment)])
    }
}
