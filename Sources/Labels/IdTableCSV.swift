import CSV
import Foundation

/// An `id,<columns…>` CSV, the shape of both the predictions (`PredictionsFile`) and the teacher
/// logits (`LogitsFile`): the file read and parsed once, its header, and its data rows with the
/// rules both share checked in one place — as many fields as the header, an id that is not empty
/// and that no earlier row used; blank lines skipped. Every error names the file and the data row
/// (1-based, the header not counted), so a researcher can find the line.
struct IdTableCSV {
    let path: String
    let header: [String]
    private let reader: CSVReader
    private var seen: [String: Int] = [:]
    /// The data row last returned by `next()`.
    private(set) var row = 0

    /// Opens `url`; `headerProblem` says why a header (which starts with `id`) cannot be this file's.
    init(_ url: URL, headerProblem: ([String]) -> String?) throws {
        path = url.path
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PredictionsError(path: path, row: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        do { reader = try CSVReader(string: text, hasHeaderRow: false) } catch {
            throw PredictionsError(path: path, row: nil, reason: "not CSV: \(error)")
        }
        guard let header = reader.next(), header.first == "id" else {
            throw PredictionsError(path: path, row: nil, reason: headerProblem([]) ?? "the header must start with 'id'")
        }
        if let problem = headerProblem(header) { throw PredictionsError(path: path, row: nil, reason: problem) }
        self.header = header
    }

    /// The next data row's id and fields (the id included, as `fields[0]`), or nil at the end.
    mutating func next() throws -> (id: String, fields: [String])? {
        while let fields = reader.next() {
            row += 1
            if fields.count == 1, fields[0].isEmpty { continue }
            guard fields.count == header.count else {
                throw error("\(fields.count) fields, the header has \(header.count)")
            }
            let id = fields[0]
            guard !id.isEmpty else { throw error("empty id") }
            if let first = seen[id] { throw error("id '\(id)' repeats row \(first)") }
            seen[id] = row
            return (id, fields)
        }
        if let parse = reader.error { throw PredictionsError(path: path, row: row + 1, reason: "\(parse)") }
        return nil
    }

    /// An error at the current data row.
    func error(_ reason: String) -> PredictionsError { PredictionsError(path: path, row: row, reason: reason) }
}
