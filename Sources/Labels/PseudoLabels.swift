import Foundation
import Plots
import Store

/// `pipe labels pseudo`: two-step pseudo-labels (seed 000 §II-C) as a view.
///
/// The unlabeled rows are the view's rows with `meta/label` -1; model A's and model B's
/// predictions (`PredictionsFile`) must cover exactly those ids, with the view's classes.
///
/// 1. The ⌊top·n⌋ of the n unlabeled rows where A is most confident (its predicted class's
///    probability; ties by id) take A's prediction: `pseudo-1`.
/// 2. Of the rest, those where A and B predict the same class (`agreement: .sameClass`) take it:
///    `pseudo-2`. `.none` skips the step.
///
/// The view overrides `meta/label` (real labels unchanged; pseudo labels; -1 for the rest) and adds
/// `meta/label_source` (real, pseudo-1, pseudo-2, none) and `meta/label_confidence` (float32: A's
/// confidence for unlabeled rows, 1 for real labels).
///
/// The indoor/outdoor prior of seed 000's Eq. 2 (`prior`): model B's prediction becomes
/// argmax_c y_c^B · y_{i(c)}^coarse, where i(c) is the coarse class (indoor / outdoor) of class c
/// for the row's corpus in the taxonomy's coarse map, and y^coarse a coarse classifier's
/// probabilities (a `PredictionsFile` over the coarse classes, for the same rows).
public enum PseudoLabels {
    public static let stage = "labels-pseudo"
    public static let sourceColumn = "meta/label_source"
    public static let confidenceColumn = "meta/label_confidence"

    public enum Agreement: String, CaseIterable, Sendable {
        case sameClass = "same-class"
        case none
    }

    /// Eq. 2's prior: a coarse classifier's predictions and the taxonomy that maps classes to coarse ones.
    public struct CoarsePrior: Sendable {
        public var predictions: URL
        public var taxonomy: Taxonomy
        public init(predictions: URL, taxonomy: Taxonomy) {
            self.predictions = predictions
            self.taxonomy = taxonomy
        }
    }

    public struct Report: Sendable {
        /// [class, source] → rows ("" class for rows left unlabeled).
        public var counts: [[String]: Int]
        public var classes: [String]
        /// The label source of each view row.
        public var sources: [String]

        public func table() -> String {
            let kinds = ["real", "pseudo-1", "pseudo-2"]
            var rows = [["Class"] + kinds + ["Total"]]
            for name in classes {
                let values = kinds.map { counts[[name, $0]] ?? 0 }
                rows.append([name] + (values + [values.reduce(0, +)]).map(String.init))
            }
            let totals = kinds.map { kind in classes.reduce(0) { $0 + (counts[[$1, kind]] ?? 0) } }
            rows.append(["Total"] + (totals + [totals.reduce(0, +)]).map(String.init))
            let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
            var lines = rows.map { cells in
                cells.enumerated().map { c, cell in
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    return c == 0 ? cell + pad : pad + cell
                }.joined(separator: "  ")
            }
            lines.append("Unlabeled left: \(counts[["", "none"]] ?? 0)")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public static func run(view: URL, predictions: URL, second: URL, top: Double = 0.9,
                           agreement: Agreement = .sameClass, prior: CoarsePrior? = nil,
                           out: URL, overwrite: Bool = false) throws -> Report {
        guard top.isFinite, top > 0, top <= 1 else {
            throw PredictionsError(path: "--top", row: nil, reason: "\(top) is outside (0, 1]")
        }
        let parent = try StoreReader(manifest: view)
        let a = try PredictionsFile.read(predictions)
        let b = try PredictionsFile.read(second)
        let ids = try parent.readStrings("meta/id")
        let labels = try parent.readInt32("meta/label")
        let unlabeled = labels.indices.filter { labels[$0] == -1 }
        let classes = parent.classes
        let aRows = try align(a, url: predictions, ids: ids, rows: unlabeled, classes: classes)
        let bRows = try align(b, url: second, ids: ids, rows: unlabeled, classes: classes)
        // B's predicted class (in the view's classes) per unlabeled row, with Eq. 2's prior if given.
        var predictedB = (0..<unlabeled.count).map { classes.firstIndex(of: b.classes[b.predicted[bRows[$0]]]) ?? -1 }
        var priorParameters: JSONValue = .null
        if let prior {
            let coarseClasses = prior.taxonomy.coarse?.classes ?? []
            let coarse = try PredictionsFile.read(prior.predictions)
            let cRows = try align(coarse, url: prior.predictions, ids: ids, rows: unlabeled, classes: coarseClasses)
            let corpora = try parent.readStrings("meta/source")
            for (k, row) in unlabeled.enumerated() {
                var best = -1, bestScore = -1.0
                for (c, name) in classes.enumerated() {
                    guard let superclass = prior.taxonomy.coarseClass(corpus: corpora[row], label: name),
                          let i = coarse.classes.firstIndex(of: superclass) else {
                        throw PredictionsError(path: prior.predictions.path, row: nil, reason:
                            "taxonomy \(prior.taxonomy.name) gives class '\(name)' of corpus '\(corpora[row])' no coarse class")
                    }
                    let bIndex = b.classes.firstIndex(of: name) ?? 0
                    let score = b.probabilities[bRows[k]][bIndex] * coarse.probabilities[cRows[k]][i]
                    if score > bestScore { best = c; bestScore = score }
                }
                predictedB[k] = best
            }
            priorParameters = ["coarse_predictions": .string(prior.predictions.standardizedFileURL.path),
                               "coarse_sha256": .string(try FileDigest.of(prior.predictions).sha256),
                               "taxonomy": .string(prior.taxonomy.name)]
        }

        let parameters: JSONValue = [
            "stage": "labels pseudo", "top": .number(top), "agreement": .string(agreement.rawValue),
            "predictions": .string(predictions.standardizedFileURL.path),
            "predictions_sha256": .string(try FileDigest.of(predictions).sha256),
            "second": .string(second.standardizedFileURL.path), "second_sha256": .string(try FileDigest.of(second).sha256),
            "prior": priorParameters,
        ]
        let configHash = try JSONValue.object(["parent": .string(parent.manifest.configHash), "parameters": parameters]).canonicalSHA256()
        try OutputFolder(root: out).claimForView(configHash: configHash, overwrite: overwrite)

        // Step 1: the most confident ⌊top·n⌋ by A, ties by id.
        let n = unlabeled.count
        let order = (0..<n).sorted { i, j in
            let ci = a.confidence[aRows[i]], cj = a.confidence[aRows[j]]
            return ci != cj ? ci > cj : ids[unlabeled[i]] < ids[unlabeled[j]]
        }
        let first = Set(order.prefix(Int((top * Double(n)).rounded(.down))))
        var newLabels = labels
        var sources = labels.map { $0 == -1 ? "none" : "real" }
        var confidence = [Float](repeating: 1, count: parent.rowCount)
        for (k, row) in unlabeled.enumerated() {
            let predictedA = classes.firstIndex(of: a.classes[a.predicted[aRows[k]]]) ?? -1
            confidence[row] = Float(a.confidence[aRows[k]])
            if first.contains(k) {
                newLabels[row] = Int32(predictedA)
                sources[row] = "pseudo-1"
            } else if agreement == .sameClass, predictedA == predictedB[k] {
                newLabels[row] = Int32(predictedA)
                sources[row] = "pseudo-2"
            }
        }
        var counts: [[String]: Int] = [:]
        for row in 0..<parent.rowCount {
            counts[[newLabels[row] >= 0 ? classes[Int(newLabels[row])] : "", sources[row]], default: 0] += 1
        }
        let report = Report(counts: counts, classes: classes, sources: sources)

        let writer = try ViewWriter(parent: parent, directory: out, stage: stage, configHash: configHash,
                                    rows: Array(0..<parent.rowCount), columns: [
            ColumnSpec(name: "meta/label", dtype: .int32),
            ColumnSpec(name: sourceColumn, dtype: .string),
            ColumnSpec(name: confidenceColumn, dtype: .float32),
        ], overwrite: overwrite)
        for row in 0..<parent.rowCount {
            try writer.append(["meta/label": .int32(newLabels[row]), sourceColumn: .string(sources[row]),
                               confidenceColumn: .float32([confidence[row]])])
        }
        let corpora = parent.columns.contains { $0.name == "meta/source" } ? try parent.readStrings("meta/source") : Array(repeating: "", count: parent.rowCount)
        let splits = parent.columns.contains { $0.name == "meta/split" } ? try parent.readStrings("meta/split") : Array(repeating: "", count: parent.rowCount)
        try writer.commit { manifest in
            manifest.parameters = parameters
            manifest.configHash = configHash
            manifest.counts = ClassCount.tally((0..<parent.rowCount).map {
                (corpora[$0], newLabels[$0] >= 0 ? classes[Int(newLabels[$0])] : nil, splits[$0])
            })
        }
        let reports = out.appendingPathComponent(StoreReports.folder)
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try DurableFile.write(Data(report.table().utf8), to: reports.appendingPathComponent("labels-pseudo.txt"))
        let csv = reports.appendingPathComponent("labels_pseudo_counts.csv")
        try DurableFile.write(try CSVText.render(header: ["class", "label_source", "rows"], rows: counts.keys.sorted {
            $0.lexicographicallyPrecedes($1) }.map { $0 + [String(counts[$0] ?? 0)] }, path: csv.path), to: csv)
        try StoreReports.write(for: out)
        if Gnuplot.executable != nil {
            try ReportPlots.classCountBars(counts: counts, splits: ["real", "pseudo-1", "pseudo-2"], title: "Rows per class and label source",
                                           to: reports.appendingPathComponent("labels_pseudo_counts"))
        }
        return report
    }

    /// For each of `rows` (view rows), its row in `file`; refuses missing, extra ids and other classes.
    static func align(_ file: PredictionsFile, url: URL, ids: [String], rows: [Int], classes: [String]) throws -> [Int] {
        guard Set(file.classes) == Set(classes), file.classes.count == classes.count else {
            throw PredictionsError(path: url.path, row: nil, reason:
                "classes \(file.classes) are not the view's \(classes)")
        }
        let index = Dictionary(uniqueKeysWithValues: file.ids.enumerated().map { ($1, $0) })
        let wanted = Set(rows.map { ids[$0] })
        for (row, id) in file.ids.enumerated() where !wanted.contains(id) {
            throw PredictionsError(path: url.path, row: row + 1, reason:
                "id '\(id)' is not an unlabeled row of the view (meta/label -1)")
        }
        return try rows.map { row in
            guard let found = index[ids[row]] else {
                throw PredictionsError(path: url.path, row: nil, reason: "no prediction for the view's unlabeled row \(row) ('\(ids[row])')")
            }
            return found
        }
    }
}
