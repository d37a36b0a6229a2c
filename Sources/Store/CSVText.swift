import CSV
import Foundation

/// RFC 4180 text of a table (CSV.swift's writer: fields with a comma, quote or newline are
/// quoted), LF line ends, a final newline: what `reports/*.csv` hold, readable by
/// `pandas.read_csv` and `csv.DictReader`.
public enum CSVText {
    public static func render(header: [String], rows: [[String]], path: String) throws -> Data {
        let stream = OutputStream(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: header)
            for row in rows { try writer.write(row: row) }
            writer.stream.close()
        } catch {
            throw StoreError.io(operation: "write CSV", path: path, reason: "\(error)")
        }
        guard var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw StoreError.io(operation: "write CSV", path: path, reason: "no data from the memory stream")
        }
        data.append(0x0A)
        return data
    }
}
