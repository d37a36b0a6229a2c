import Foundation
import Plots
import Store

/// `pipe split domain`: Valid-Easy / Valid-Hard by the cosine similarity of each row's feature
/// statistics with a reference set's (seed 000 §IV-A), written as a view (no features copied).
///
/// For each considered row of the view (every row, or those whose `meta/split` is `within`), the
/// statistics vector of its feature (`DomainStatistic`) is compared with the reference rows'
/// (`DomainComparison`, optionally standardised — `DomainSimilarity`); the rule (`DomainRule`)
/// puts a row in `valid-hard` or `valid-easy`. The view overrides (or adds) `meta/split`, keeps
/// the previous value in `meta/split_before` and adds `meta/domain_similarity` (float32; NaN for
/// rows not considered). Every other comparison and standardisation is computed too and reported,
/// so a user sees how the split depends on the choices the paper leaves open.
///
/// ```sh
/// $ pipe split domain demo/pretrain --within validation --reference demo/store \
///       --reference-source cas2023 --reference-split test --threshold 0.9 --out demo/valid-hard
/// ```
public enum DomainSplit {
    public static let stage = "split-domain"
    public static let splitColumn = "meta/split"
    public static let beforeColumn = "meta/split_before"
    public static let similarityColumn = "meta/domain_similarity"

    /// Writes the split view of `view` into `out` and returns the report (also written to
    /// `out/reports/`). Nothing is written if an input or option is refused.
    public static func run(view: URL, reference: URL, options: DomainSplitOptions, out: URL,
                           overwrite: Bool = false) throws -> DomainSplitReport {
        try options.rule.validate()
        guard !options.statistics.isEmpty else {
            throw SplitError.parameter(name: "--statistics", reason: "at least one of mean, variance")
        }
        let parent = try StoreReader(manifest: view)
        let referenceReader = try StoreReader(manifest: reference)
        let spec = try FeatureStatisticsReader.column(parent, requested: options.feature)
        guard let referenceSpec = referenceReader.columns.first(where: { $0.name == spec.name }) else {
            throw SplitError.input(path: referenceReader.manifestURL.path, reason:
                "the reference has no column '\(spec.name)' (the view's feature)")
        }
        guard referenceSpec.dtype == spec.dtype, referenceSpec.rowShape == spec.rowShape else {
            throw SplitError.input(path: referenceReader.manifestURL.path, reason:
                "'\(spec.name)' has row shape \(referenceSpec.rowShape), the view's has \(spec.rowShape)")
        }
        let referenceIdentity = try referenceReader.manifest.identity()
        let parameters = options.parameters(feature: spec.name, reference: reference.standardizedFileURL.path,
                                            referenceIdentity: referenceIdentity)
        let configHash = try JSONValue.object([
            "parent": .string(parent.manifest.configHash), "parameters": parameters,
        ]).canonicalSHA256()
        try OutputFolder(root: out).claimForView(configHash: configHash, overwrite: overwrite)

        let ids = try strings(parent, "meta/id")
        let splits = try strings(parent, splitColumn)
        let considered = (0..<parent.rowCount).filter { options.within == nil || splits[$0] == options.within }
        guard !considered.isEmpty else {
            throw SplitError.input(path: parent.manifestURL.path, reason: options.within.map {
                "no row has meta/split '\($0)' (splits: \(Set(splits).sorted().joined(separator: ", ")))" } ?? "no rows")
        }
        let referenceIds = try strings(referenceReader, "meta/id")
        let referenceSplits = try strings(referenceReader, splitColumn)
        let referenceSources = try strings(referenceReader, "meta/source")
        let referenceRows = (0..<referenceReader.rowCount).filter {
            (options.referenceSplit == nil || referenceSplits[$0] == options.referenceSplit)
                && (options.referenceSource == nil || referenceSources[$0] == options.referenceSource)
        }
        guard !referenceRows.isEmpty else {
            throw SplitError.input(path: referenceReader.manifestURL.path, reason:
                "no reference row matches split \(options.referenceSplit ?? "any") and source \(options.referenceSource ?? "any")")
        }

        let viewVectors = try FeatureStatisticsReader.vectors(parent, rows: considered, spec: spec,
                                                              statistics: options.statistics, ids: ids)
        let referenceVectors = try FeatureStatisticsReader.vectors(referenceReader, rows: referenceRows, spec: spec,
                                                                   statistics: options.statistics, ids: referenceIds)
        func similarity(_ comparison: DomainComparison, _ standardise: Bool) throws -> DomainSimilarity {
            do {
                return try DomainSimilarity.compute(view: viewVectors, reference: referenceVectors,
                                                    comparison: comparison, standardise: standardise)
            } catch let zero as DomainSimilarity.ZeroVector {
                let reason = "its statistics vector is zero\(standardise ? " after standardising" : ""): no cosine similarity"
                switch zero.set {
                case .view:
                    throw SplitError.row(path: parent.manifestURL.path, row: considered[zero.index],
                                         id: ids[considered[zero.index]], reason: reason)
                case .reference:
                    throw SplitError.row(path: referenceReader.manifestURL.path, row: referenceRows[zero.index],
                                         id: referenceIds[referenceRows[zero.index]], reason: reason)
                case .referenceMean:
                    throw SplitError.input(path: referenceReader.manifestURL.path, reason: "the reference's mean statistics are zero: no cosine similarity")
                }
            }
        }
        let chosen = try similarity(options.comparison, options.standardise)
        let hard = options.rule.select(chosen.view)
        var variants: [DomainSplitReport.Variant] = []
        for comparison in DomainComparison.allCases {
            for standardise in [false, true] {
                let result = comparison == options.comparison && standardise == options.standardise
                    ? chosen : try similarity(comparison, standardise)
                let selected = options.rule.select(result.view).filter { $0 }.count
                variants.append(.init(comparison: comparison, standardise: standardise, hard: selected,
                                      easy: considered.count - selected,
                                      chosen: comparison == options.comparison && standardise == options.standardise))
            }
        }

        var newSplits = splits
        var similarities = [Double](repeating: .nan, count: parent.rowCount)
        for (k, row) in considered.enumerated() {
            newSplits[row] = hard[k] ? DomainSplitOptions.hard : DomainSplitOptions.easy
            similarities[row] = chosen.view[k]
        }
        let labels = try labelNames(parent)
        var report = DomainSplitReport(
            feature: spec.name, options: options, considered: considered.count,
            referenceRows: referenceRows.count, hard: hard.filter { $0 }.count,
            counts: Dictionary(grouping: considered, by: { [labels[$0], newSplits[$0]] }).mapValues(\.count),
            viewSimilarity: chosen.view, referenceSimilarity: chosen.reference, variants: variants,
            viewRows: considered.map { ($0, ids[$0]) }, referenceRowIds: referenceRows.map { ($0, referenceIds[$0]) })

        let writer = try ViewWriter(parent: parent, directory: out, stage: stage, configHash: configHash,
                                    rows: Array(0..<parent.rowCount), columns: [
            ColumnSpec(name: splitColumn, dtype: .string),
            ColumnSpec(name: beforeColumn, dtype: .string),
            ColumnSpec(name: similarityColumn, dtype: .float32),
        ], overwrite: overwrite)
        for row in 0..<parent.rowCount {
            try writer.append([splitColumn: .string(newSplits[row]), beforeColumn: .string(splits[row]),
                               similarityColumn: .float32([Float(similarities[row])])])
        }
        let corpora = try strings(parent, "meta/source")
        try writer.commit { manifest in
            manifest.parameters = parameters
            manifest.configHash = configHash
            manifest.counts = ClassCount.tally((0..<parent.rowCount).map {
                (corpora[$0], labels[$0].isEmpty ? nil : labels[$0], newSplits[$0])
            })
        }
        try report.write(to: out)
        try StoreReports.write(for: out)
        report.plots = try plot(report, out: out)
        return report
    }

    /// The histogram and the class × split bars as PNG and SVG in `reports/`; none (and a note in
    /// the report) when gnuplot is not installed, since the tables hold the same figures.
    static func plot(_ report: DomainSplitReport, out: URL) throws -> [String] {
        let reports = out.appendingPathComponent(StoreReports.folder)
        guard Gnuplot.executable != nil else {
            try DurableFile.write(Data("gnuplot not found on PATH (make deps installs gnuplot-nox): no plots drawn\n".utf8),
                                  to: reports.appendingPathComponent("plots-missing.txt"))
            return []
        }
        var files = try ReportPlots.similarityHistogram(
            csv: reports.appendingPathComponent("domain_similarity_histogram.csv"), threshold: report.threshold,
            to: reports.appendingPathComponent("domain_similarity"))
        files += try ReportPlots.classCountBars(counts: report.counts, splits: [DomainSplitOptions.easy, DomainSplitOptions.hard],
                                                title: "Rows per class and split", to: reports.appendingPathComponent("domain_split_counts"))
        return files.map { StoreReports.folder + "/" + $0.lastPathComponent }
    }

    /// A string column, or "" per row if the table lacks it (a view without ids or splits).
    static func strings(_ reader: StoreReader, _ name: String) throws -> [String] {
        reader.columns.contains { $0.name == name && $0.dtype == .string }
            ? try reader.readStrings(name) : Array(repeating: "", count: reader.rowCount)
    }

    /// Each row's class name ("" unlabeled); a label outside the classes is refused naming the row.
    static func labelNames(_ reader: StoreReader) throws -> [String] {
        guard reader.columns.contains(where: { $0.name == "meta/label" && $0.dtype == .int32 }) else {
            return Array(repeating: "", count: reader.rowCount)
        }
        return try reader.readInt32("meta/label").enumerated().map { row, label in
            if label == -1 { return "" }
            guard label >= 0, Int(label) < reader.classes.count else {
                throw SplitError.row(path: reader.manifestURL.path, row: row, id: "", reason:
                    "label \(label) outside the \(reader.classes.count) classes")
            }
            return reader.classes[Int(label)]
        }
    }
}
