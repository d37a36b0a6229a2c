import Foundation
import Store

/// What `DomainSplit` decided: the class × split counts, the similarity of both sets (for the
/// histogram) and the hard / easy counts under every comparison and standardisation.
public struct DomainSplitReport: Sendable {
    /// The split under one (comparison, standardise) choice, with the same rule.
    public struct Variant: Equatable, Sendable {
        public var comparison: DomainComparison
        public var standardise: Bool
        public var hard: Int
        public var easy: Int
        /// Whether this is the choice the view was written with.
        public var chosen: Bool
        public var oneSided: Bool { hard == 0 || easy == 0 }
    }

    public var feature: String
    public var options: DomainSplitOptions
    public var considered: Int
    public var referenceRows: Int
    public var hard: Int
    public var easy: Int { considered - hard }
    /// [class ("" unlabeled), split] → rows, over the considered rows.
    public var counts: [[String]: Int]
    public var viewSimilarity: [Double]
    public var referenceSimilarity: [Double]
    public var variants: [Variant]
    /// (row, id) of the view's considered rows and of the reference rows, aligned with the similarities.
    public var viewRows: [(Int, String)]
    public var referenceRowIds: [(Int, String)]
    /// The plot files written (relative to the view), empty without gnuplot.
    public var plots: [String] = []

    /// The warning printed when every considered row falls on one side, else nil.
    public var warning: String? {
        guard hard == 0 || easy == 0 else { return nil }
        let side = hard == 0 ? DomainSplitOptions.easy : DomainSplitOptions.hard
        let hint = options.standardise
            ? " (standardised statistics rarely reach a cosine of 0.9: try --fraction or without --standardise)"
            : " (try --fraction, another --threshold or --comparison)"
        return "warning: all \(considered) rows are \(side); the split separates nothing" + hint
    }

    /// The threshold drawn on the histogram: the rule's, or for a fraction the lowest selected similarity.
    public var threshold: Double {
        switch options.rule {
        case let .threshold(value): return value
        case .fraction: return viewSimilarity.sorted(by: >).prefix(hard).last ?? .nan
        }
    }

    /// `bins` equal bins over the range of both sets' similarities and the threshold:
    /// (low, high, view rows, reference rows); the last bin includes its upper edge.
    public func histogram(bins: Int = 20) -> [(low: Double, high: Double, view: Int, reference: Int)] {
        let finite = (viewSimilarity + referenceSimilarity + [threshold]).filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low < 1e-9 { low -= 0.005; high += 0.005 }
        let width = (high - low) / Double(bins)
        func bin(_ x: Double) -> Int { min(bins - 1, max(0, Int(((x - low) / width).rounded(.down)))) }
        var view = [Int](repeating: 0, count: bins)
        var reference = [Int](repeating: 0, count: bins)
        for x in viewSimilarity where x.isFinite { view[bin(x)] += 1 }
        for x in referenceSimilarity where x.isFinite { reference[bin(x)] += 1 }
        return (0..<bins).map { (low + Double($0) * width, low + Double($0 + 1) * width, view[$0], reference[$0]) }
    }

    /// The terminal table: the rule, class × split counts, the variants and the warning.
    public func table() -> String {
        var lines: [String] = []
        let rule: String
        switch options.rule {
        case let .threshold(value): rule = "similarity > \(value)"
        case let .fraction(value): rule = "the most similar \(value) (⌊f·n⌋ rows)"
        }
        lines.append("Domain split of \(considered) rows\(options.within.map { " (meta/split = \($0))" } ?? "") by \(feature) "
            + "\(options.statistics.map(\.rawValue).joined(separator: "+")), \(options.comparison.rawValue)"
            + "\(options.standardise ? ", standardised" : "") vs \(referenceRows) reference rows: \(rule)")
        let classes = Set(counts.keys.map { $0[0] }).sorted()
        let splits = [DomainSplitOptions.easy, DomainSplitOptions.hard]
        var rows = [["Class"] + splits + ["Total"]]
        for name in classes {
            let values = splits.map { counts[[name, $0]] ?? 0 }
            rows.append([name.isEmpty ? "(unlabeled)" : name] + (values + [values.reduce(0, +)]).map(String.init))
        }
        rows.append(["Total", String(easy), String(hard), String(considered)])
        lines += Self.align(rows)
        lines.append("")
        lines.append("How the split changes with the comparison (same rule):")
        var variantRows = [["comparison", "standardised", DomainSplitOptions.easy, DomainSplitOptions.hard, ""]]
        for v in variants {
            variantRows.append([v.comparison.rawValue, v.standardise ? "yes" : "no", String(v.easy), String(v.hard),
                                (v.chosen ? "<- written" : "") + (v.oneSided ? " (all on one side)" : "")])
        }
        lines += Self.align(variantRows)
        let finiteView = viewSimilarity.filter(\.isFinite)
        if let low = finiteView.min(), let high = finiteView.max() {
            lines.append("")
            lines.append("similarity of the split rows: \(String(format: "%.4f", low)) to \(String(format: "%.4f", high)); threshold \(String(format: "%.4f", threshold))")
        }
        if let warning { lines.append(warning) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `reports/domain_split.txt` and the CSVs (`domain_split_counts.csv`,
    /// `domain_split_variants.csv`, `domain_similarity.csv`, `domain_similarity_histogram.csv`).
    public func write(to out: URL) throws {
        let reports = out.appendingPathComponent(StoreReports.folder)
        let tables: [(String, [String], [[String]])] = [
            ("domain_split_counts.csv", ["class", "split", "rows"],
             counts.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { $0 + [String(counts[$0] ?? 0)] }),
            ("domain_split_variants.csv", ["comparison", "standardise", "valid_easy", "valid_hard", "written"],
             variants.map { [$0.comparison.rawValue, String($0.standardise), String($0.easy), String($0.hard), String($0.chosen)] }),
            ("domain_similarity.csv", ["set", "row", "id", "similarity"],
             zip(viewRows, viewSimilarity).map { ["view", String($0.0), $0.1, Self.format($1)] }
                + zip(referenceRowIds, referenceSimilarity).map { ["reference", String($0.0), $0.1, Self.format($1)] }),
            ("domain_similarity_histogram.csv", ["bin_low", "bin_high", "view_rows", "reference_rows", "threshold"],
             histogram().map { [Self.format($0.low), Self.format($0.high), String($0.view), String($0.reference), Self.format(threshold)] }),
        ]
        do {
            try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
            for (name, header, rows) in tables {
                let url = reports.appendingPathComponent(name)
                try DurableFile.write(try CSVText.render(header: header, rows: rows, path: url.path), to: url)
            }
            try DurableFile.write(Data(table().utf8), to: reports.appendingPathComponent("domain_split.txt"))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.io(operation: "write report", path: reports.path, reason: error.localizedDescription)
        }
    }

    static func format(_ value: Double) -> String { value.isNaN ? "nan" : String(describing: value) }

    static func align(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { cells in
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }
}
