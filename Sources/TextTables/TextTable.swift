import Foundation

/// A plain fixed-width text table: the one table renderer of the project (corpus counts, label
/// merge reports, benchmarks, `pipe pipelines`), in a module of its own so that Labels and Pipeline,
/// which do not depend on each other, both use it. Lines carry no trailing spaces.
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
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            trimmingTrailingSpaces(cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  "))
        }
        let dashes = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return [line(header)] + (rule ? [dashes] : []) + rows.map(line)
    }

    static func trimmingTrailingSpaces(_ text: String) -> String {
        var result = text
        while result.last == " " { result.removeLast() }
        return result
    }
}
