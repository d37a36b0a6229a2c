import Foundation
import Store

/// `pipe labels teachers`: K teachers' logits fused by Eq. 4 (`TeacherFusion`) into soft targets
/// softmax(h / temperature), written as `targets/teachers` [classes] (the view's class order) in a
/// view that the trainer's distillation loss reads; α and β in the manifest's parameters.
///
/// Every teacher file must hold exactly the view's ids and classes (any column order). α and β are
/// fitted on the labeled rows (`meta/label` ≥ 0); `method: .average` uses plain averaging instead.
public enum TeacherTargets {
    public static let stage = "labels-teachers"
    public static let column = "targets/teachers"

    public enum Method: String, CaseIterable, Sendable {
        case fitted
        case average
    }

    public struct Report: Sendable {
        public var fusion: TeacherFusion
        public var method: Method
        public var iterations: Int
        /// Whether the fit reached a gradient below 1e-9 (false: the labeled rows are separable
        /// and the plain cross-entropy has no minimum; use an L2 penalty).
        public var converged: Bool
        public var l2: Double
        public var labeledRows: Int
        public var teachers: [String]
        /// Accuracy on the labeled rows: fused (the written method), averaged, each teacher.
        public var fusedAccuracy: Double
        public var averagedAccuracy: Double
        public var teacherAccuracy: [Double]

        public func table() -> String {
            var lines = ["Teacher fusion (\(method.rawValue)\(method == .fitted ? ", \(iterations) Newton steps" : "")\(l2 > 0 ? ", L2 \(l2)" : "")) on \(labeledRows) labeled rows:"]
            for (k, name) in teachers.enumerated() {
                lines.append("  α[\(k + 1)] = \(String(format: "%.6f", fusion.alpha[k]))  accuracy \(String(format: "%.4f", teacherAccuracy[k]))  \(name)")
            }
            lines.append("  β = [" + fusion.beta.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]")
            if !converged {
                lines.append("warning: the fit did not converge: the fused logits separate the labeled rows, so the cross-entropy has no minimum and α, β grow without bound; give --l2 (e.g. 0.001)")
            }
            let best = teacherAccuracy.max() ?? .nan
            lines.append("accuracy: fused \(String(format: "%.4f", fusedAccuracy)), averaged \(String(format: "%.4f", averagedAccuracy)), best single teacher \(String(format: "%.4f", best))")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public static func run(view: URL, logits files: [URL], method: Method = .fitted, temperature: Double = 1,
                           l2: Double = 0, out: URL, overwrite: Bool = false) throws -> Report {
        guard l2.isFinite, l2 >= 0 else { throw PredictionsError(path: "--l2", row: nil, reason: "\(l2) is not a non-negative number") }
        guard !files.isEmpty else { throw PredictionsError(path: "--logits", row: nil, reason: "no teacher file") }
        guard temperature.isFinite, temperature > 0 else {
            throw PredictionsError(path: "--temperature", row: nil, reason: "\(temperature) is not a positive number")
        }
        let parent = try StoreReader(manifest: view)
        let ids = try parent.readStrings("meta/id")
        let labels = try parent.readInt32("meta/label")
        let classes = parent.classes
        let rowOf = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // teachers[k][row][class in the view's order]
        var teachers: [[[Double]]] = []
        var digests: [JSONValue] = []
        for url in files {
            let file = try LogitsFile.read(url, classes: classes)
            guard Set(file.classes) == Set(classes), file.classes.count == classes.count else {
                throw PredictionsError(path: url.path, row: nil, reason: "classes \(file.classes) are not the view's \(classes)")
            }
            let order = classes.map { name in file.classes.firstIndex(of: name) ?? 0 }
            var rows = [[Double]?](repeating: nil, count: parent.rowCount)
            for (r, id) in file.ids.enumerated() {
                guard let row = rowOf[id] else {
                    throw PredictionsError(path: url.path, row: r + 1, reason: "id '\(id)' is not a row of the view")
                }
                rows[row] = order.map { file.logits[r][$0] }
            }
            if let missing = rows.firstIndex(where: { $0 == nil }) {
                throw PredictionsError(path: url.path, row: nil, reason: "no logits for the view's row \(missing) ('\(ids[missing])')")
            }
            teachers.append(rows.map { $0 ?? [] })
            digests.append(["file": .string(url.standardizedFileURL.path), "sha256": .string(try FileDigest.of(url).sha256)])
        }
        let K = teachers.count, C = classes.count
        let byRow = (0..<parent.rowCount).map { t in (0..<K).map { teachers[$0][t] } }
        let labeled = labels.indices.filter { labels[$0] >= 0 && Int(labels[$0]) < C }
        if method == .fitted, labeled.isEmpty {
            throw PredictionsError(path: parent.manifestURL.path, row: nil, reason: "no labeled rows to fit α and β on")
        }
        let averaged = TeacherFusion.average(teachers: K, classes: C)
        let (fusion, iterations, converged) = method == .fitted
            ? TeacherFusion.fit(logits: labeled.map { byRow[$0] }, labels: labeled.map { Int(labels[$0]) }, teachers: K, classes: C, l2: l2)
            : (averaged, 0, true)
        func accuracy(_ predict: ([[Double]]) -> Int) -> Double {
            labeled.isEmpty ? .nan : Double(labeled.filter { predict(byRow[$0]) == Int(labels[$0]) }.count) / Double(labeled.count)
        }
        let report = Report(
            fusion: fusion, method: method, iterations: iterations, converged: converged, l2: l2, labeledRows: labeled.count,
            teachers: files.map(\.lastPathComponent),
            fusedAccuracy: accuracy { PredictionsFile.argmax(fusion.fuse($0)) },
            averagedAccuracy: accuracy { PredictionsFile.argmax(averaged.fuse($0)) },
            teacherAccuracy: (0..<K).map { k in accuracy { PredictionsFile.argmax($0[k]) } })

        let parameters: JSONValue = [
            "stage": "labels teachers", "method": .string(method.rawValue), "temperature": .number(temperature),
            "l2": .number(l2), "converged": .bool(converged),
            "teachers": .array(digests), "alpha": .array(fusion.alpha.map(JSONValue.number)),
            "beta": .array(fusion.beta.map(JSONValue.number)), "classes": .array(classes.map(JSONValue.string)),
        ]
        let configHash = try JSONValue.object(["parent": .string(parent.manifest.configHash), "parameters": parameters]).canonicalSHA256()
        try OutputFolder(root: out).claimForView(configHash: configHash, overwrite: overwrite)
        let writer = try ViewWriter(parent: parent, directory: out, stage: stage, configHash: configHash,
                                    rows: Array(0..<parent.rowCount),
                                    columns: [ColumnSpec(name: column, dtype: .float32, rowShape: [C])], overwrite: overwrite)
        for row in byRow {
            try writer.append([column: .float32(TeacherFusion.softmax(fusion.fuse(row), temperature: temperature).map { Float($0) })])
        }
        try writer.commit { manifest in
            manifest.parameters = parameters
            manifest.configHash = configHash
            manifest.counts = parent.manifest.counts
        }
        let reports = out.appendingPathComponent(StoreReports.folder)
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try DurableFile.write(Data(report.table().utf8), to: reports.appendingPathComponent("labels-teachers.txt"))
        let csv = reports.appendingPathComponent("labels_teachers.csv")
        var rows = (0..<K).map { ["alpha", report.teachers[$0], String(fusion.alpha[$0]), String(report.teacherAccuracy[$0])] }
        rows += (0..<C).map { ["beta", classes[$0], String(fusion.beta[$0]), ""] }
        rows += [["accuracy", "fused", "", String(report.fusedAccuracy)], ["accuracy", "averaged", "", String(report.averagedAccuracy)]]
        try DurableFile.write(try CSVText.render(header: ["parameter", "name", "value", "accuracy"], rows: rows, path: csv.path), to: csv)
        try StoreReports.write(for: out)
        return report
    }
}
