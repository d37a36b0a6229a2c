import Foundation

/// A plain fixed-width text table: the one table renderer of the project (corpus counts, label
/// merge reports, benchmarks, `pipe pipelines`, `pipe --version`), in a module of its own so that
/// Labels and Pipeline, which do not depend on each other, both use it. Lines carry no trailing spaces.
public enum TextTable {
    /// `header` then `rows`, columns two spaces apart, padded to the widest cell; the columns in
    /// `rightAligned` are right-aligned. `rule` puts a line of dashes under the header.
    public static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = [],
                              rule: Bool = true) -> String {
        lines(header: header, rows: rows, rightAligned: rightAligned, rule: rule).joined(separator: "\n")
    }

    /// The table's lines, for callers that add lines of their own around it.
    public static func lines(header: [String], rows: [[String]], rightAligned: Set<Int> = [],
                             rule: Bool = true) -> [String] {
        let aligned = lines(rows: [header] + rows, rightAligned: rightAligned)
        guard rule else { return aligned }
        let widths = columnWidths([header] + rows)
        return [aligned[0], widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            + aligned.dropFirst()
    }

    /// Rows aligned in columns, with no header (a list of name/value pairs, say), each line
    /// starting with `indent`.
    public static func lines(rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") -> [String] {
        let widths = columnWidths(rows)
        return rows.map { cells in
            trimmingTrailingSpaces(indent + cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  "))
        }
    }

    static func columnWidths(_ rows: [[String]]) -> [Int] {
        let count = rows.map(\.count).max() ?? 0
        return (0..<count).map { i in rows.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
    }

    static func trimmingTrailingSpaces(_ text: String) -> String {
        var result = text
        while result.last == " " { result.removeLast() }
        return result
    }
}
