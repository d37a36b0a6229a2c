import Foundation
import Store

/// One teacher's logits: the CSV `id,<class names…>` (finite real numbers, one row per id), or an
/// HDF5 file with `/id` (strings, [N]) and `/logits` (float32, [N, classes], in the view's class
/// order: HDF5 logits carry no class names), what a PyTorch teacher saves with h5py.
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

    /// Reads `url` as HDF5 when it starts with the HDF5 signature, else as CSV. `classes` (the
    /// view's) names the columns of an HDF5 file's `/logits`.
    public static func read(_ url: URL, classes: [String]) throws -> LogitsFile {
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        let head = (try? FileHandle(forReadingFrom: url)).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: signature.count)
        }
        guard let head, Array(head) == signature else { return try read(url) }
        return try readHDF5(url, classes: classes)
    }

    /// Reads an HDF5 logits file: exactly the datasets `id` and `logits`, with the same number of
    /// rows (the Store's reader refuses rows that differ, naming the file), `logits` one column per
    /// class, every id non-empty and once, every value finite.
    public static func readHDF5(_ url: URL, classes: [String]) throws -> LogitsFile {
        let path = url.path
        let reader = try ShardReader(url: url)
        guard Set(reader.columnNames) == ["id", "logits"] else {
            throw PredictionsError(path: path, row: nil, reason:
                "an HDF5 logits file holds exactly /id and /logits, this one [\(reader.columnNames.map { "/" + $0 }.joined(separator: ", "))]")
        }
        guard reader.spec(of: "id")?.dtype == .string, reader.spec(of: "id")?.rowShape == [] else {
            throw PredictionsError(path: path, row: nil, reason: "/id must be strings [N]")
        }
        guard let spec = reader.spec(of: "logits"), spec.dtype == .float32, spec.rowShape == [classes.count] else {
            let shape = reader.spec(of: "logits").map { "\($0.dtype.rawValue) \([reader.rowCount] + $0.rowShape)" } ?? "absent"
            throw PredictionsError(path: path, row: nil, reason:
                "/logits is \(shape), expected float32 [\(reader.rowCount), \(classes.count)] (one column per class of the view)")
        }
        let ids = try reader.readStrings("id")
        let flat = try reader.readFloatRows("logits", 0..<reader.rowCount)
        var file = LogitsFile(classes: classes, ids: [], logits: [])
        var seen: [String: Int] = [:]
        for (r, id) in ids.enumerated() {
            let row = r + 1
            guard !id.isEmpty else { throw PredictionsError(path: path, row: row, reason: "empty id") }
            if let first = seen[id] { throw PredictionsError(path: path, row: row, reason: "id '\(id)' repeats row \(first)") }
            seen[id] = row
            let values = flat[(r * classes.count)..<((r + 1) * classes.count)].map(Double.init)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw PredictionsError(path: path, row: row, reason: "id '\(id)': \(classes[bad]) = \(values[bad]) is not a finite logit")
            }
            file.ids.append(id)
            file.logits.append(values)
        }
        return file
    }

    public static func read(_ url: URL) throws -> LogitsFile {
        var table = try IdTableCSV(url) { header in
            guard header.count >= 2 else { return "the header must be id,<class names…>" }
            let classes = Array(header.dropFirst())
            if classes.contains("") || Set(classes).count != classes.count { return "class columns must be distinct and named" }
            return nil
        }
        let classes = Array(table.header.dropFirst())
        var file = LogitsFile(classes: classes, ids: [], logits: [])
        while let (id, fields) = try table.next() {
            let values = try fields.dropFirst().enumerated().map { offset, field -> Double in
                guard let value = Double(field), value.isFinite else {
                    throw table.error("id '\(id)': \(classes[offset]) = '\(field)' is not a finite logit")
                }
                return value
            }
            file.ids.append(id)
            file.logits.append(values)
        }
        return file
    }

    /// Writes the CSV (17 significant digits: the logits read back exactly).
    public func write(to url: URL) throws {
        var text = (["id"] + classes).joined(separator: ",") + "\n"
        for (id, row) in zip(ids, logits) { text += ([id] + row.map { String(format: "%.17g", $0) }).joined(separator: ",") + "\n" }
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
