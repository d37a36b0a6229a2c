import CSV
import Foundation

/// One teacher's logits: the CSV `id,<class names…>` (finite real numbers, one row per id).
///
/// Reading refuses a header not starting with `id`, an empty or repeated class, a row of another
/// width, an empty or repeated id and a value that is not a finite number, naming the file and
/// the data row (1-based, after the header).
public struct LogitsFile: Equatable, Sendable {
    public var classes: [String]
    public var ids: [String]
    /// logits[row][class].
    public var logits: [[Double]]

    public init(classes: [String], ids: [String], logits: [[Double]]) {
        self.classes = classes
        self.ids = ids
        self.logits = logits
    }

    public static func read(_ url: URL) throws -> LogitsFile {
        let path = url.path
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PredictionsError(path: path, row: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            throw PredictionsError(path: path, row: nil, reason: "not CSV: \(error)")
        }
        guard let header = reader.next(), header.first == "id", header.count >= 2 else {
            throw PredictionsError(path: path, row: nil, reason: "the header must be id,<class names…>")
        }
        let classes = Array(header.dropFirst())
        if classes.contains("") || Set(classes).count != classes.count {
            throw PredictionsError(path: path, row: nil, reason: "class columns must be distinct and named")
        }
        var file = LogitsFile(classes: classes, ids: [], logits: [])
        var seen: [String: Int] = [:]
        var row = 0
        while let fields = reader.next() {
            row += 1
            if fields.count == 1, fields[0].isEmpty { continue }
            guard fields.count == header.count else {
                throw PredictionsError(path: path, row: row, reason: "\(fields.count) fields, the header has \(header.count)")
            }
            let id = fields[0]
            guard !id.isEmpty else { throw PredictionsError(path: path, row: row, reason: "empty id") }
            if let first = seen[id] { throw PredictionsError(path: path, row: row, reason: "id '\(id)' repeats row \(first)") }
            seen[id] = row
            let values = try fields.dropFirst().enumerated().map { offset, field -> Double in
                guard let value = Double(field), value.isFinite else {
                    throw PredictionsError(path: path, row: row, reason: "id '\(id)': \(classes[offset]) = '\(field)' is not a finite logit")
                }
                return value
            }
            file.ids.append(id)
            file.logits.append(values)
        }
        if let error = reader.error { throw PredictionsError(path: path, row: row + 1, reason: "\(error)") }
        return file
    }

    /// Writes the CSV (17 significant digits: the logits read back exactly).
    public func write(to url: URL) throws {
        var text = (["id"] + classes).joined(separator: ",") + "\n"
        for (id, row) in zip(ids, logits) { text += ([id] + row.map { String(format: "%.17g", $0) }).joined(separator: ",") + "\n" }
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
