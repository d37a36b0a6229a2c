import Foundation
import Store

/// The view both metadata stages write: the selected rows get new values in some `meta/` columns,
/// the originals are kept as `<column>_original`, and `meta/metadata_changed` (int32 0/1) marks
/// the selected rows. No other row or column changes; features stay in the parent's shards.
struct MetadataRewrite {
    /// One fraction's view: its folder, config hash, parameters and new values per column.
    struct Plan {
        var out: URL
        var configHash: String
        var parameters: JSONValue
        var selected: [Int]
        /// column → row → new value (only selected rows).
        var values: [String: [Int: ColumnValue]]
    }

    static let changedColumn = "meta/metadata_changed"

    /// The column's spec in `parent`, refusing a column it lacks or one that is not scalar.
    static func spec(_ parent: StoreReader, _ name: String) throws -> ColumnSpec {
        guard let spec = parent.columns.first(where: { $0.name == name }) else {
            throw SplitError.input(path: parent.manifestURL.path, reason: "no column '\(name)'")
        }
        guard spec.rowShape.isEmpty, spec.dtype != .float32 else {
            throw SplitError.input(path: parent.manifestURL.path, reason: "column '\(name)' is not a scalar metadata column")
        }
        return spec
    }

    /// The rows whose `meta/split` is `within` (at least two).
    static func candidates(_ parent: StoreReader, within: String) throws -> [Int] {
        let splits = try DomainSplit.strings(parent, "meta/split")
        let rows = splits.indices.filter { splits[$0] == within }
        guard rows.count >= 2 else {
            throw SplitError.input(path: parent.manifestURL.path, reason:
                "\(rows.count) row(s) with meta/split '\(within)': at least two are needed (splits: \(Set(splits).sorted().joined(separator: ", ")))")
        }
        return rows
    }

    /// Claims every output folder first (nothing is written if one is refused), then writes each view.
    static func write(parent: StoreReader, stage: String, plans: [Plan], overwrite: Bool,
                      report: (Plan) -> String) throws {
        for plan in plans { try OutputFolder(root: plan.out).claimForView(configHash: plan.configHash, overwrite: overwrite) }
        for plan in plans {
            let names = plan.values.keys.sorted()
            var specs: [ColumnSpec] = []
            var columns: [String: [ColumnValue]] = [:]
            for name in names {
                let spec = try spec(parent, name)
                specs.append(spec)
                specs.append(ColumnSpec(name: name + "_original", dtype: spec.dtype))
                columns[name] = try parent.readColumn(name)
            }
            specs.append(ColumnSpec(name: changedColumn, dtype: .int32))
            let chosen = Set(plan.selected)
            let writer = try ViewWriter(parent: parent, directory: plan.out, stage: stage, configHash: plan.configHash,
                                        rows: Array(0..<parent.rowCount), columns: specs, overwrite: overwrite)
            for row in 0..<parent.rowCount {
                var values: ShardRow = [changedColumn: .int32(chosen.contains(row) ? 1 : 0)]
                for name in names {
                    let original = columns[name]?[row] ?? .string("")
                    values[name] = plan.values[name]?[row] ?? original
                    values[name + "_original"] = original
                }
                try writer.append(values)
            }
            try writer.commit { manifest in
                manifest.parameters = plan.parameters
                manifest.configHash = plan.configHash
                manifest.counts = parent.manifest.counts
            }
            let reports = plan.out.appendingPathComponent(StoreReports.folder)
            try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
            try DurableFile.write(Data(report(plan).utf8), to: reports.appendingPathComponent(stage + ".txt"))
            try StoreReports.write(for: plan.out)
        }
    }

    /// The config hash of a view of `parent` with `parameters`.
    static func configHash(parent: StoreReader, parameters: JSONValue) throws -> String {
        try JSONValue.object(["parent": .string(parent.manifest.configHash), "parameters": parameters]).canonicalSHA256()
    }
}
