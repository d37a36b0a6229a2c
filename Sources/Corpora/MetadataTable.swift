import CSV
import Foundation

/// A delimited text file (CSV or TSV) read line by line, as corpus metadata files are published.
///
/// Lines end at LF, CRLF or a lone CR (universal newlines, as an editor shows them: a file saved
/// CR-only by old Mac tools must not become one long line whose rows vanish), not by a general CSV
/// tokenizer over the whole file, because issues must carry exact line numbers and a quoted-newline
/// tokenizer would shift them. None of the corpora's metadata files quote fields; a line that does
/// contain a double quote is still split by `CSVReader`, so a quoted field with an embedded delimiter
/// is honoured. A UTF-8 byte-order mark is removed, blank lines (including the trailing one) are
/// skipped, and invalid UTF-8 is decoded with replacement characters rather than rejected, so one
/// bad byte costs one line (an unknown file name), not the whole file. A line holding a NUL or
/// another control character (TAB aside) is rejected here, with its number: such a value cannot be
/// a name or label, and a NUL cannot even be stored as an HDF5 string.
struct MetadataTable: Sendable {
    /// The file read.
    var url: URL
    /// The header's fields, if the file was read with a header.
    var header: [String]?
    /// The line number of the header, if any.
    var headerLine: Int?
    /// Every non-blank line after the header.
    var lines: [MetadataLine]
    /// Lines rejected while reading (control characters), as issues naming the file and line.
    var rejected: [CorpusIssue] = []

    /// Reads `url`, splitting fields on `delimiter`.
    ///
    /// `isHeader` is asked about the first non-blank line only; when it answers `true` that line
    /// becomes `header` instead of data.
    static func read(_ url: URL, delimiter: Character, isHeader: ([String]) -> Bool) throws -> MetadataTable {
        let data: Data
        do {
            guard try FileSystem.isMetadataFile(url) else {
                throw CorpusError.unreadable(path: url.path, reason: "no such file")
            }
            data = try Data(contentsOf: url)
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return parse(data, url: url, delimiter: delimiter, isHeader: isHeader)
    }

    /// Parses file contents already in memory (see `read`).
    static func parse(_ data: Data, url: URL, delimiter: Character, isHeader: ([String]) -> Bool) -> MetadataTable {
        var table = MetadataTable(url: url, header: nil, headerLine: nil, lines: [])
        let bytes = [UInt8](data)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var lineNumber = 0
        var sawFirstLine = false
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            lineNumber += 1
            let content = bytes[start..<end]
            let text = String(decoding: content, as: UTF8.self)
            if let bad = content.first(where: { $0 < 0x20 && $0 != 0x09 }) {
                let name = bad == 0 ? "a NUL byte" : String(format: "control character 0x%02X", bad)
                table.rejected.append(CorpusIssue(path: url.path, line: lineNumber,
                                                  reason: "the line holds \(name); no name or label contains one"))
                sawFirstLine = true
            } else if !text.allSatisfy({ $0.isWhitespace }) {
                let fields = split(text, delimiter: delimiter)
                if !sawFirstLine, isHeader(fields) {
                    table.header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                    table.headerLine = lineNumber
                } else {
                    table.lines.append(MetadataLine(number: lineNumber, fields: fields))
                }
                sawFirstLine = true
            }
            if end == bytes.count { break }
            // CRLF is one line end; a lone CR or LF is one too.
            start = bytes[end] == 0x0D && end + 1 < bytes.count && bytes[end + 1] == 0x0A ? end + 2 : end + 1
        }
        return table
    }

    /// Splits one line into fields; only lines containing a double quote go through `CSVReader`.
    static func split(_ line: String, delimiter: Character) -> [String] {
        if line.contains("\""), let scalar = delimiter.unicodeScalars.first,
           let reader = try? CSVReader(string: line, hasHeaderRow: false, delimiter: scalar),
           let row = reader.next() {
            return row
        }
        return line.split(separator: delimiter, omittingEmptySubsequences: false).map(String.init)
    }
}
