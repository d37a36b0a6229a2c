import Foundation
import Store

/// The folders and files of a store (architecture.md, "Store layout"), and the pipeline's
/// shard-level bookkeeping inside them.
struct StoreLayout {
    let root: URL
    var shardsDirectory: URL { root.appendingPathComponent("shards") }
    var reportsDirectory: URL { root.appendingPathComponent("reports") }
    var manifestURL: URL { root.appendingPathComponent("manifest.json") }
    var catalogURL: URL { root.appendingPathComponent("catalog.jsonl") }

    func recordURL(_ name: String) -> URL { shardsDirectory.appendingPathComponent("\(name).plan.json") }

    /// Creates the folders and removes what an interrupted run may have left half-written. The old
    /// manifest goes first: while shards are being rewritten the store is incomplete, and no reader
    /// must see a manifest that names shards which no longer match it (a new one is written last).
    func prepare() throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: shardsDirectory, withIntermediateDirectories: true)
            try fm.createDirectory(at: reportsDirectory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.output("\(root.path): cannot create the store folders (\(error.localizedDescription))")
        }
        if fm.fileExists(atPath: manifestURL.path) {
            do { try fm.removeItem(at: manifestURL) } catch {
                throw PipelineError.output("\(manifestURL.path): cannot replace the old manifest (\(error.localizedDescription))")
            }
        }
        for name in (try? fm.contentsOfDirectory(atPath: shardsDirectory.path)) ?? [] where name.hasSuffix(".tmp") {
            try? fm.removeItem(at: shardsDirectory.appendingPathComponent(name))
        }
    }

    /// Removes the files of shards that the current plan does not have (left by an earlier run
    /// over a larger catalog or with smaller shards), so the folder holds exactly what the manifest lists.
    func removeShards(notIn names: Set<String>) {
        let fm = FileManager.default
        for file in (try? fm.contentsOfDirectory(atPath: shardsDirectory.path)) ?? [] {
            guard let stem = file.split(separator: ".").first.map(String.init), stem.hasPrefix("part-"),
                  !names.contains(stem) else { continue }
            try? fm.removeItem(at: shardsDirectory.appendingPathComponent(file))
        }
    }

    /// The record of a shard a previous run completed with the same plan and config, if any.
    func completedRecord(for name: String, configHash: String, ids: [String]) -> ShardRecord? {
        guard let data = try? Data(contentsOf: recordURL(name)),
              let record = try? JSONDecoder().decode(ShardRecord.self, from: data),
              record.configHash == configHash, record.plannedIDs == ids else { return nil }
        if let shard = record.shard {
            let file = root.appendingPathComponent(shard.file)
            guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int,
                  size == shard.bytes else { return nil }
        }
        return record
    }

    /// Writes one shard from its accepted rows, then its record.
    func writeShard(name: String, rows: [ShardRow], rejected: [RejectedInput], plannedIDs: [String],
                    schema: RowSchema, config: PipelineConfig, configHash: String) throws -> ShardRecord {
        var info: ShardInfo?
        if !rows.isEmpty {
            let writer = try ShardWriter(directory: shardsDirectory, name: name, schema: schema.columns,
                                         rowCount: rows.count,
                                         attributes: ["schema_version": String(Manifest.currentSchemaVersion),
                                                      "pipeline": config.name, "config_hash": configHash])
            for (i, row) in rows.enumerated() { try writer.write(row: row, at: i) }
            info = try writer.commit().inFolder("shards")
        }
        var counts: [String: Int] = [:]
        for row in rows {
            let label = row.int32("meta/label").flatMap { $0 >= 0 ? schema.classes[Int($0)] : nil } ?? ""
            let key = [row.string("meta/source") ?? "", label, row.string("meta/split") ?? ""].joined(separator: "\t")
            counts[key, default: 0] += 1
        }
        let record = ShardRecord(name: name, configHash: configHash, plannedIDs: plannedIDs, shard: info,
                                 rejected: rejected, counts: counts)
        try DurableFile.writeJSON(record, to: recordURL(name))
        return record
    }
}
