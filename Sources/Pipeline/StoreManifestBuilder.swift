import Foundation
import Store

/// Assembles a store's manifest from the finished shards: written last, it is the one entry point
/// for readers and says exactly how the store was made.
enum StoreManifestBuilder {
    static func build(config: PipelineConfig, configHash: String, schema: RowSchema, records: [ShardRecord],
                      counts: [String: Int], rejections: [RejectedInput]) throws -> Manifest {
        var libraries = LibraryVersions.current()
        for (name, version) in Provenance.libraryVersions() { libraries[name] = version }
        let classCounts = counts.map { key, n -> ClassCount in
            let parts = key.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return ClassCount(corpus: parts[0], label: parts[1].isEmpty ? nil : parts[1], split: parts[2], count: n)
        }.sorted { ($0.corpus, $0.label ?? "", $0.split) < ($1.corpus, $1.label ?? "", $1.split) }
        let shards = records.compactMap(\.shard)
        return Manifest(kind: .store, pipeline: config.name, configHash: configHash,
                        createdBy: "AcousticPipe \(Provenance.toolVersion)", libraries: libraries,
                        parameters: try JSONValue(encoding: config), columns: schema.columns, classes: schema.classes,
                        counts: classCounts, shards: shards, rejected: rejections,
                        rowCount: shards.reduce(0) { $0 + $1.rows })
    }
}
