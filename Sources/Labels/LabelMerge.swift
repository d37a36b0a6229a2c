import Foundation
import Store

/// `pipe labels merge`: relabels a store with a taxonomy by writing a view.
///
/// For every row of the input (a store or a view) it reads `meta/source` (the corpus),
/// `meta/label` (an index into the input's classes) and, if present, `meta/split`, then applies
/// the taxonomy's rules (stated in `manifests/taxonomies/asc10.yaml`):
///
/// 1. a labeled row gets its unified class, if its corpus maps its label to one;
/// 2. its coarse class comes from the coarse map (original label first, then unified class);
/// 3. it is kept if it has a unified class, or — with `keep: .all` — a coarse class
///    (then `meta/label` = -1);
/// 4. an unlabeled row is kept, with both labels -1, only if its corpus is in `keepUnlabeled`.
///
/// The view overrides `meta/label` (indexing the taxonomy's classes), adds `meta/label_coarse`
/// (int32, -1 if none; class list in the manifest's `columnClasses`) and `meta/source_label`
/// (the corpus's own label text, "" if unlabeled). Features stay in the parent's shards.
///
/// ```sh
/// $ pipe labels merge --store out/ingest --taxonomy manifests/taxonomies/asc10.yaml --out out/asc10
/// ```
public enum LabelMerge {
    /// The stage name: column files are `columns/labels-NNNNN.h5`.
    public static let stage = "labels"

    public static let labelColumn = "meta/label"
    public static let coarseColumn = "meta/label_coarse"
    public static let sourceLabelColumn = "meta/source_label"

    /// Writes the relabelled view of `store` into `out` and returns the per-class counts. An `out`
    /// holding a store, a view of another config or other files is refused unless `overwrite`; an
    /// existing view there is replaced only once the new one is complete.
    public static func run(store: URL, taxonomy: Taxonomy, out: URL,
                           keep: LabelKeepPolicy = .all, overwrite: Bool = false) throws -> LabelMergeReport {
        if let problem = taxonomy.validationProblem { throw TaxonomyError(source: taxonomy.name, reason: problem) }
        let parent = try StoreReader(manifest: store)
        let parameters: JSONValue = [
            "stage": "labels merge",
            "taxonomy": try JSONValue(encoding: taxonomy),
            "keep": .string(keep.rawValue),
        ]
        let configHash = try JSONValue.object([
            "parent": .string(parent.manifest.configHash), "parameters": parameters,
        ]).canonicalSHA256()
        // Refuse an output that must not be replaced before reading any row.
        try OutputFolder(root: out).claimForView(configHash: configHash, overwrite: overwrite)
        let sources = try parent.readStrings("meta/source")
        let labels = try parent.readInt32(labelColumn)
        let hasSplit = parent.columns.contains { $0.name == "meta/split" && $0.dtype == .string }
        let splits = hasSplit ? try parent.readStrings("meta/split") : Array(repeating: "", count: parent.rowCount)
        let inputClasses = parent.classes

        var report = LabelMergeReport(taxonomy: taxonomy, keep: keep)
        var kept: [Int] = []
        var values: [ShardRow] = []
        var tally: [(corpus: String, label: String?, split: String)] = []
        var observed: [String: Set<String>] = [:]
        for row in 0..<parent.rowCount {
            let corpus = sources[row]
            let label = Int(labels[row])
            guard label >= -1, label < inputClasses.count else {
                throw StoreError.schema(path: parent.manifestURL.path, reason:
                    "row \(row): label \(label) outside the \(inputClasses.count) classes")
            }
            let original = label >= 0 ? inputClasses[label] : nil
            observed[corpus, default: []].formUnion(original.map { [$0] } ?? [])
            let unified = original.flatMap { taxonomy.unifiedClass(corpus: corpus, label: $0) }
            let coarse = original.flatMap { taxonomy.coarseClass(corpus: corpus, label: $0) }
            let keepRow: Bool
            if original == nil {
                keepRow = taxonomy.keepUnlabeled.contains(corpus)
            } else {
                keepRow = unified != nil || (keep == .all && coarse != nil)
            }
            report.record(corpus: corpus, original: original, unified: unified, coarse: coarse, kept: keepRow)
            guard keepRow else { continue }
            kept.append(row)
            values.append([
                labelColumn: .int32(Int32(unified.flatMap { taxonomy.classes.firstIndex(of: $0) } ?? -1)),
                coarseColumn: .int32(Int32(coarse.flatMap { taxonomy.coarse?.classes.firstIndex(of: $0) } ?? -1)),
                sourceLabelColumn: .string(original ?? ""),
            ])
            tally.append((corpus, unified, splits[row]))
        }

        report.warnings = taxonomy.unmatchedEntries(labels: observed)

        let view = try ViewWriter(parent: parent, directory: out, stage: stage, configHash: configHash,
                                  rows: kept, columns: [
            ColumnSpec(name: labelColumn, dtype: .int32),
            ColumnSpec(name: coarseColumn, dtype: .int32),
            ColumnSpec(name: sourceLabelColumn, dtype: .string),
        ], overwrite: overwrite)
        for row in values { try view.append(row) }
        // Warnings are recorded only when there are any; they follow from the parent and the taxonomy,
        // which the config hash already covers, so they do not enter it.
        var recorded = parameters
        if !report.warnings.isEmpty, case .object(var fields) = recorded {
            fields["warnings"] = .array(report.warnings.map { .string($0) })
            recorded = .object(fields)
        }
        try view.commit { manifest in
            manifest.classes = taxonomy.classes
            var columnClasses = manifest.columnClasses ?? [:]
            columnClasses[coarseColumn] = taxonomy.coarse?.classes ?? []
            columnClasses[sourceLabelColumn] = nil
            manifest.columnClasses = columnClasses
            manifest.counts = ClassCount.tally(tally)
            manifest.parameters = recorded
            manifest.configHash = configHash
        }
        try writeReport(report, to: out)
        try StoreReports.write(for: out)
        return report
    }

    /// Saves the table, then the taxonomy's warnings, as `reports/labels-merge.txt` next to the view's manifest.
    private static func writeReport(_ report: LabelMergeReport, to out: URL) throws {
        let reports = out.appendingPathComponent("reports")
        let file = reports.appendingPathComponent("labels-merge.txt")
        do {
            try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
            let warnings = report.warnings.map { "warning: \($0)\n" }.joined()
            try Data((report.table() + warnings).utf8).write(to: file, options: .atomic)
        } catch {
            throw StoreError.io(operation: "write report", path: file.path, reason: error.localizedDescription)
        }
    }
}
