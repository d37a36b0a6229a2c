import ArgumentParser
import Foundation
import Pipeline
import Store

/// `pipe merge STORE`: the reduce step — write the manifest once every planned shard exists.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Finalize a store whose shards were written by several processes: check every planned shard, write the manifest.",
        discussion: """
        Reads STORE/plan.json (written when the store folder was prepared), checks each planned shard \
        (sidecar, config hash, planned rows, SHA-256, row count) and writes manifest.json only if all are \
        good; otherwise names each missing, stale or corrupt shard and the worker of the partitioned run \
        that owes it (from partition.json: rerun that worker, e.g. `bash submit.sh I` for a `pipe \
        slurm-script`), and exits 1. A single-process ingest does this itself at the end. Inputs the \
        workers rejected are listed in the manifest and counted here (the exit status stays 0, so that \
        a Slurm merge job is not marked failed for them).
        """)

    @Argument(help: "Store folder.")
    var store: String

    func run() throws {
        // With the report an augmented store carries (reports/augment.json), rebuilt from the shards.
        let manifest = try AugmentReport.finalizeStore(at: URL(fileURLWithPath: store))
        print("\(manifest.rowCount) rows in \(manifest.shards.count) shards -> \(store)/\(Manifest.fileName)")
        if !manifest.rejected.isEmpty {
            printError("\(manifest.rejected.count) inputs rejected (listed in the manifest):")
            for rejection in manifest.rejected.prefix(20) { printError("  \(rejection)") }
            if manifest.rejected.count > 20 { printError("  … and \(manifest.rejected.count - 20) more") }
        }
    }
}
