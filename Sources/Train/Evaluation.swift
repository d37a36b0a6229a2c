import CSV
import Foundation
import Labels
import Store

/// Accuracy of predictions against a store or view's labels: overall, per class, per device, per
/// city; the macro accuracy (mean of the per-class accuracies, what the DCASE and APSIPA challenges
/// rank by); the log loss; the confusion matrix (rows: true class, columns: predicted).
public struct Evaluation: Equatable, Sendable {
    public var classes: [String]
    public var rows: Int
    public var accuracy: Double
    public var macroAccuracy: Double
    public var logLoss: Double
    /// Per class: its accuracy (recall) and its number of rows.
    public var perClass: [(name: String, accuracy: Double, count: Int)] {
        classes.indices.map { c in
            let total = confusion[c].reduce(0, +)
            return (classes[c], total > 0 ? Double(confusion[c][c]) / Double(total) : .nan, total)
        }
    }
    public var perDevice: [String: (correct: Int, total: Int)]
    public var perCity: [String: (correct: Int, total: Int)]
    public var confusion: [[Int]]

    public static func == (a: Evaluation, b: Evaluation) -> Bool {
        a.classes == b.classes && a.rows == b.rows && a.confusion == b.confusion && a.logLoss == b.logLoss
    }

    /// Compares `predictions` with the labelled rows of `url` (of `split` when given) by `/meta/id`.
    /// A labelled row without a prediction, or predictions for other classes, is an error.
    public static func evaluate(predictions: URL, manifest url: URL, split: String? = nil) throws -> Evaluation {
        let file = try PredictionsFile.read(predictions)
        let reader = try StoreReader(manifest: url)
        guard file.classes == reader.classes else {
            throw TrainError.incompatible(model: predictions.path, reason:
                "its classes [\(file.classes.joined(separator: ", "))] are not the view's [\(reader.classes.joined(separator: ", "))]")
        }
        return try score(file, source: predictions.path, reader: reader, split: split)
    }

    /// Scores the predictions a view of `pipe predict --view` holds (`targets/<targets>`, one
    /// probability row per row) against the labels it shares with its parents.
    public static func evaluate(view url: URL, targets: String = "predicted", split: String? = nil) throws -> Evaluation {
        let reader = try StoreReader(manifest: url)
        let column = "targets/\(targets)"
        guard let spec = reader.columns.first(where: { $0.name == column }) else {
            throw TrainError.badFile(path: reader.manifestURL.path, reason:
                "no column '\(column)' to evaluate (write one with pipe predict MODEL STORE --view VIEW --name \(targets))")
        }
        guard spec.rowShape == [reader.classes.count] else {
            throw TrainError.badFile(path: reader.manifestURL.path, reason:
                "'\(column)' is \(spec.rowShape), the view has \(reader.classes.count) classes")
        }
        let probabilities = try reader.readColumn(column).map { ($0.floats ?? []).map(Double.init) }
        let predicted = probabilities.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0 }
        let file = PredictionsFile(classes: reader.classes, ids: try reader.readStrings("meta/id"), probabilities: probabilities,
                                   predicted: predicted)
        return try score(file, source: reader.manifestURL.path, reader: reader, split: split)
    }

    static func score(_ file: PredictionsFile, source: String, reader: StoreReader, split: String?) throws -> Evaluation {
        let classes = file.classes
        let predictions = URL(fileURLWithPath: source)
        let byID = Dictionary(file.ids.indices.map { (file.ids[$0], $0) }, uniquingKeysWith: { first, _ in first })
        let ids = try reader.readStrings("meta/id")
        let labels = try reader.readInt32("meta/label")
        let names = Set(reader.columns.map(\.name))
        let splits = split == nil ? nil : try reader.readStrings("meta/split")
        let devices = names.contains("meta/device") ? try reader.readStrings("meta/device") : nil
        let cities = names.contains("meta/city") ? try reader.readStrings("meta/city") : nil
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes.count), count: classes.count)
        var perDevice: [String: (correct: Int, total: Int)] = [:]
        var perCity: [String: (correct: Int, total: Int)] = [:]
        var logLoss = 0.0
        var rows = 0
        for row in ids.indices where labels[row] >= 0 && (split == nil || splits?[row] == split) {
            guard let k = byID[ids[row]] else {
                throw TrainError.badFile(path: predictions.path, reason: "no prediction for row '\(ids[row])' of \(reader.manifestURL.path)")
            }
            let truth = Int(labels[row])
            let guess = file.predicted[k]
            confusion[truth][guess] += 1
            logLoss -= log(max(file.probabilities[k][truth], 1e-15))
            rows += 1
            let hit = truth == guess ? 1 : 0
            if let device = devices?[row] { perDevice[device, default: (0, 0)].correct += hit; perDevice[device, default: (0, 0)].total += 1 }
            if let city = cities?[row] { perCity[city, default: (0, 0)].correct += hit; perCity[city, default: (0, 0)].total += 1 }
        }
        guard rows > 0 else {
            throw TrainError.badFile(path: reader.manifestURL.path, reason: "no labelled rows\(split.map { " in split '\($0)'" } ?? "") to evaluate")
        }
        let correct = (0..<classes.count).map { confusion[$0][$0] }.reduce(0, +)
        let present = (0..<classes.count).filter { confusion[$0].reduce(0, +) > 0 }
        let macro = present.map { Double(confusion[$0][$0]) / Double(confusion[$0].reduce(0, +)) }.reduce(0, +) / Double(present.count)
        return Evaluation(classes: classes, rows: rows, accuracy: Double(correct) / Double(rows), macroAccuracy: macro,
                          logLoss: logLoss / Double(rows), perDevice: perDevice, perCity: perCity, confusion: confusion)
    }

    /// The printed report, in percent.
    public var text: String {
        func percent(_ value: Double) -> String { value.isNaN ? "  n/a" : String(format: "%5.1f%%", value * 100) }
        var lines = ["rows: \(rows)", "accuracy: \(percent(accuracy))", "macro accuracy: \(percent(macroAccuracy))",
                     String(format: "log loss: %.4f", logLoss), "per class:"]
        for (name, value, count) in perClass where count > 0 { lines.append("  \(name): \(percent(value)) of \(count)") }
        for (title, table) in [("per device:", perDevice), ("per city:", perCity)] where !table.isEmpty {
            lines.append(title)
            for key in table.keys.sorted() {
                let entry = table[key]!
                lines.append("  \(key.isEmpty ? "(none)" : key): \(percent(Double(entry.correct) / Double(entry.total))) of \(entry.total)")
            }
        }
        // The confusion matrix, counts: one line per true class, columns predicted in class order.
        let width = max(3, String(confusion.flatMap { $0 }.max() ?? 0).count + 1)
        let nameWidth = classes.map(\.count).max() ?? 0
        lines.append("confusion (rows: true class, columns: predicted \(classes.indices.map(String.init).joined(separator: " ")) in that order):")
        for (c, counts) in confusion.enumerated() where counts.reduce(0, +) > 0 || confusion.contains(where: { $0[c] > 0 }) {
            let name = classes[c].padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            lines.append("  \(c) \(name) " + counts.map { String(repeating: " ", count: max(0, width - String($0).count)) + String($0) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `evaluation[-SPLIT].txt` (the printed report) and `confusion[-SPLIT].csv` into the
    /// `reports/` folder (`StoreReports.folder`) of the view at `url`, replacing this command's own
    /// earlier files of the same split, and returns the URLs written.
    public func writeReports(view url: URL, split: String?) throws -> [URL] {
        let reader = try StoreReader(manifest: url)
        let folder = reader.directory.appendingPathComponent(StoreReports.folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let suffix = split.map { "-\($0)" } ?? ""
        let text = folder.appendingPathComponent("evaluation\(suffix).txt")
        let confusion = folder.appendingPathComponent("confusion\(suffix).csv")
        try DurableFile.write(Data((self.text + "\n").utf8), to: text)
        try DurableFile.write(try confusionCSV(), to: confusion)
        return [text, confusion]
    }

    /// The confusion matrix as CSV: header `true\predicted,<classes…>`, one line per true class.
    public func confusionCSV() throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: ["true\\predicted"] + classes)
        for (name, counts) in zip(classes, confusion) { try writer.write(row: [name] + counts.map(String.init)) }
        writer.stream.close()
        var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        data.append(0x0A)
        return data
    }
}
