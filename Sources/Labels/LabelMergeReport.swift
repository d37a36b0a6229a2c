import TextTables

/// What `LabelMerge` kept and dropped, per class and corpus; prints as the paper's Table I.
///
/// ```
/// Scene           cochlscene  tau2020  Total
/// Airport                  0        1      1
/// ...
/// Total                    4        5      9
/// ```
public struct LabelMergeReport: Codable, Equatable, Sendable {
    public var taxonomy: String
    public var keep: LabelKeepPolicy
    /// Unified classes in taxonomy order.
    public var classes: [String]
    public var coarseClasses: [String]
    /// unified class → corpus → rows kept with that class.
    public var unifiedCounts: [String: [String: Int]] = [:]
    /// coarse class → corpus → rows kept for their coarse class alone (label -1).
    public var coarseOnlyCounts: [String: [String: Int]] = [:]
    /// corpus → unlabeled rows kept.
    public var unlabeledKept: [String: Int] = [:]
    /// corpus → original label ("" = unlabeled) → rows dropped.
    public var dropped: [String: [String: Int]] = [:]
    public var rowsIn = 0
    public var rowsOut = 0
    /// Taxonomy entries that matched nothing in the store (`Taxonomy.unmatchedEntries`).
    public var warnings: [String] = []

    init(taxonomy: Taxonomy, keep: LabelKeepPolicy) {
        self.taxonomy = taxonomy.name
        self.keep = keep
        classes = taxonomy.classes
        coarseClasses = taxonomy.coarse?.classes ?? []
    }

    mutating func record(corpus: String, original: String?, unified: String?, coarse: String?, kept: Bool) {
        rowsIn += 1
        guard kept else {
            dropped[corpus, default: [:]][original ?? "", default: 0] += 1
            return
        }
        rowsOut += 1
        if let unified {
            unifiedCounts[unified, default: [:]][corpus, default: 0] += 1
        } else if let coarse {
            coarseOnlyCounts[coarse, default: [:]][corpus, default: 0] += 1
        } else {
            unlabeledKept[corpus, default: 0] += 1
        }
    }

    /// Rows kept with unified class `name`, over all corpora.
    public func total(of name: String) -> Int {
        unifiedCounts[name, default: [:]].values.reduce(0, +)
    }

    /// The report as text: the unified-class table (Table I, one column per contributing corpus),
    /// then the coarse-only table, unlabeled rows kept and rows dropped, each when non-empty.
    public func table() -> String {
        var lines = Self.countTable(title: "Scene", rows: classes, counts: unifiedCounts)
        if !coarseOnlyCounts.isEmpty {
            lines.append("")
            lines += Self.countTable(title: "Coarse only", rows: coarseClasses, counts: coarseOnlyCounts)
        }
        if !unlabeledKept.isEmpty {
            lines.append("")
            lines.append("Unlabeled kept: " + unlabeledKept.keys.sorted()
                .map { "\($0) \(Self.grouped(unlabeledKept[$0] ?? 0))" }.joined(separator: ", "))
        }
        let droppedTotals = dropped.mapValues { $0.values.reduce(0, +) }
        if !droppedTotals.isEmpty {
            lines.append("Dropped: " + droppedTotals.keys.sorted()
                .map { "\($0) \(Self.grouped(droppedTotals[$0] ?? 0))" }.joined(separator: ", "))
        }
        lines.append("Rows: \(Self.grouped(rowsIn)) in, \(Self.grouped(rowsOut)) kept")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A right-aligned table of `counts[row][corpus]` with a Total column and a Total row.
    private static func countTable(title: String, rows: [String], counts: [String: [String: Int]]) -> [String] {
        let corpora = Set(counts.values.flatMap(\.keys)).sorted()
        let header = [title] + corpora + ["Total"]
        var body: [[String]] = rows.map { name in
            let values = corpora.map { counts[name]?[$0] ?? 0 }
            return [name] + (values + [values.reduce(0, +)]).map(grouped)
        }
        let columnTotals = corpora.map { corpus in rows.reduce(0) { $0 + (counts[$1]?[corpus] ?? 0) } }
        body.append(["Total"] + (columnTotals + [columnTotals.reduce(0, +)]).map(grouped))
        return TextTable.lines(header: header, rows: body, rightAligned: Set(1..<header.count), rule: false)
    }

    /// 59310 → "59,310", as in the paper's tables; independent of the locale.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }
}
