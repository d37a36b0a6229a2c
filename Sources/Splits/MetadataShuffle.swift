import Foundation
import Store

/// `pipe split shuffle-metadata`: Valid-Hard (x%) of seed 000 §IV-A / Fig. 3 — for each fraction x,
/// round(x·n) of the n rows whose `meta/split` is `within` (at least 2) have their metadata permuted
/// among themselves by a derangement, so no selected row keeps its own (location, record time).
///
/// Jointly (the default) one derangement moves each row's (location, time) pair as a whole, as
/// the paper shuffles "the recording time and location metadata"; `jointly: false` deranges each
/// column independently. A derangement moves every row's values to another row; where two selected
/// rows share a value (the same city) a row may receive a value equal to its own — the report
/// counts the rows whose value actually changed. One view per fraction in `<out>/<x as a percent>/`.
///
/// ```sh
/// $ pipe split shuffle-metadata demo/valid-hard --within valid-hard --fractions 0.05,0.1,0.2,0.5,0.7,1 \
///       --columns location,time --out demo/shuffled
/// ```
public enum MetadataShuffle {
    public static let stage = "shuffle-metadata"

    /// One fraction's outcome.
    public struct Outcome: Equatable, Sendable {
        public var fraction: Double
        public var folder: URL
        /// The parent rows whose metadata moved.
        public var selected: [Int]
        /// The rows whose `meta/split` is `within`, of which `selected` were chosen.
        public var candidates: Int
        /// column → rows whose value differs from their original.
        public var changed: [String: Int]
    }

    /// `columns` are `meta/` names or their short forms ("location" → `meta/location`).
    public static func run(view: URL, within: String, fractions: [Double], columns: [String], jointly: Bool = true,
                           seed: UInt64 = 0, out: URL, overwrite: Bool = false) throws -> [Outcome] {
        guard !fractions.isEmpty else { throw SplitError.parameter(name: "--fractions", reason: "no fraction given") }
        for x in fractions where !(x > 0 && x <= 1) {
            throw SplitError.parameter(name: "--fractions", reason: "\(x) is outside (0, 1]")
        }
        let names = columns.map { $0.contains("/") ? $0 : "meta/" + $0 }
        guard !names.isEmpty, Set(names).count == names.count else {
            throw SplitError.parameter(name: "--columns", reason: "give one or more distinct columns")
        }
        let parent = try StoreReader(manifest: view)
        for name in names { _ = try MetadataRewrite.spec(parent, name) }
        let candidates = try MetadataRewrite.candidates(parent, within: within)
        var originals: [String: [ColumnValue]] = [:]
        for name in names { originals[name] = try parent.readColumn(name) }

        var plans: [MetadataRewrite.Plan] = []
        for x in fractions {
            let key = RowSampling.percentName(x)
            let count = RowSampling.count(fraction: x, of: candidates.count)
            let selected = RowSampling.choose(count, of: candidates.count, seed: seed, key: "split-selection/\(within)/\(key)")
                .map { candidates[$0] }
            var values: [String: [Int: ColumnValue]] = [:]
            let joint = RowSampling.derangement(count, seed: seed, key: "\(stage)/\(key)/joint")
            for name in names {
                let permutation = jointly ? joint : RowSampling.derangement(count, seed: seed, key: "\(stage)/\(key)/\(name)")
                var column: [Int: ColumnValue] = [:]
                for (i, row) in selected.enumerated() { column[row] = originals[name]?[selected[permutation[i]]] }
                values[name] = column
            }
            let parameters: JSONValue = [
                "stage": "split shuffle-metadata", "within": .string(within), "fraction": .number(x),
                "columns": .array(names.map(JSONValue.string)), "jointly": .bool(jointly),
                "seed": .integer(Int64(bitPattern: seed)), "candidates": .integer(Int64(candidates.count)),
                "selected": .integer(Int64(count)),
            ]
            plans.append(.init(out: out.appendingPathComponent(key), configHash: try MetadataRewrite.configHash(parent: parent, parameters: parameters),
                               parameters: parameters, selected: selected, values: values))
        }
        var outcomes: [Outcome] = []
        for (x, plan) in zip(fractions, plans) {
            var changed: [String: Int] = [:]
            for name in names {
                changed[name] = plan.selected.filter { plan.values[name]?[$0] != originals[name]?[$0] }.count
            }
            outcomes.append(Outcome(fraction: x, folder: plan.out, selected: plan.selected, candidates: candidates.count, changed: changed))
        }
        try MetadataRewrite.write(parent: parent, stage: stage, plans: plans, overwrite: overwrite) { plan in
            table(outcomes.filter { $0.folder == plan.out }, within: within)
        }
        return outcomes
    }

    /// One line per fraction: selected rows and, per column, rows whose value changed.
    public static func table(_ outcomes: [Outcome], within: String) -> String {
        let candidates = outcomes.first?.candidates ?? 0
        let columns = outcomes.first.map { $0.changed.keys.sorted() } ?? []
        var rows = [["fraction", "folder", "selected of \(candidates) \(within)"] + columns.map { "changed " + $0 }]
        for o in outcomes {
            rows.append([String(o.fraction), o.folder.lastPathComponent, String(o.selected.count)]
                        + columns.map { String(o.changed[$0] ?? 0) })
        }
        return DomainSplitReport.align(rows).joined(separator: "\n") + "\n"
    }
}
