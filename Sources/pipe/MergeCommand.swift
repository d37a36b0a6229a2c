import ArgumentParser
import Foundation
import Store

/// `pipe merge STORE`: the reduce step — write the manifest once every planned shard exists.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Finalize a store whose shards were written by several processes: check every planned shard, write the manifest.",
        discussion: """
        Reads STORE/plan.json (written when the store folder was prepared), checks each planned shard \
        (sidecar, config hash, planned rows, SHA-256, row count) and writes manifest.json only if all are \
        good; otherwise names each missing, stale or corrupt shard and exits 1. A single-process ingest \
        does this itself at the end.
        """)

    @Argument(help: "Store folder.")
    var store: String

    func run() throws {
        let manifest = try StoreFolder.finalize(at: URL(fileURLWithPath: store))
        print("\(manifest.rowCount) rows in \(manifest.shards.count) shards -> \(store)/\(Manifest.fileName)")
    }
}
