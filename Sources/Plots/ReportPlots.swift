import Foundation

/// The plots of the split and label stages, drawn by gnuplot from the CSVs their reports write
/// (so a plot shows exactly the table beside it).
public enum ReportPlots {
    /// The similarity histogram of the view's rows and the reference's, with the threshold marked:
    /// from `domain_similarity_histogram.csv` (`bin_low,bin_high,view_rows,reference_rows,threshold`).
    @discardableResult
    public static func similarityHistogram(csv: URL, threshold: Double, to base: URL) throws -> [URL] {
        let data = Gnuplot.quoted(csv.path)
        var body = """
        set datafile separator ','
        set key top left
        set title 'Cosine similarity with the reference statistics'
        set xlabel 'cosine similarity'
        set ylabel 'rows'
        set style fill transparent solid 0.5 border -1
        set boxwidth 0.45 relative
        set yrange [0:*]
        """
        if threshold.isFinite {
            body += "\nset arrow from \(threshold), graph 0 to \(threshold), graph 1 nohead lw 2 dt 2 lc rgb 'red'"
            body += "\nset label 'threshold \(String(format: "%.4g", threshold))' at \(threshold), graph 0.95 offset 0.5,0 tc rgb 'red'"
        }
        body += """

        plot \(data) skip 1 using (($1+$2)/2 - ($2-$1)*0.2):3 with boxes lc rgb '#1f77b4' title 'view rows', \
             \(data) skip 1 using (($1+$2)/2 + ($2-$1)*0.2):4 with boxes lc rgb '#ff7f0e' title 'reference rows'
        """
        return try Gnuplot.plot(body, to: base)
    }

    /// Clustered bars: rows per class (x) and split (one bar each), from a CSV `class,split,rows`.
    @discardableResult
    public static func classCountBars(counts: [[String]: Int], splits: [String], title: String, to base: URL) throws -> [URL] {
        let classes = Set(counts.keys.map { $0[0] }).sorted()
        let table = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + ".dat")
        var text = "class\t" + splits.joined(separator: "\t") + "\n"
        for name in classes {
            text += "\"\(name.isEmpty ? "(unlabeled)" : name)\"\t" + splits.map { String(counts[[name, $0]] ?? 0) }.joined(separator: "\t") + "\n"
        }
        try Data(text.utf8).write(to: table, options: .atomic)
        defer { try? FileManager.default.removeItem(at: table) }
        let data = Gnuplot.quoted(table.path)
        let body = """
        set datafile separator '\\t'
        set title \(Gnuplot.quoted(title))
        set style data histograms
        set style histogram cluster gap 1
        set style fill solid 0.8 border -1
        set ylabel 'rows'
        set yrange [0:*]
        set xtics rotate by -35 scale 0
        set key outside right top
        plot for [c=2:\(splits.count + 1)] \(data) using c:xtic(1) title columnheader(c)
        """
        return try Gnuplot.plot(body, to: base)
    }

    /// A confusion matrix as a heat map (true class down the y axis, predicted along x), each cell
    /// labelled with its count: from `pipe evaluate`'s confusion counts, `confusion[true][predicted]`.
    @discardableResult
    public static func confusionMatrix(_ confusion: [[Int]], classes: [String], title: String, to base: URL) throws -> [URL] {
        let table = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + ".dat")
        var text = ""
        for (row, counts) in confusion.enumerated() {
            for (column, count) in counts.enumerated() { text += "\(column) \(row) \(count)\n" }
        }
        try Data(text.utf8).write(to: table, options: .atomic)
        defer { try? FileManager.default.removeItem(at: table) }
        let n = classes.count
        func tics(_ axis: String) -> String {
            "set \(axis) (" + classes.enumerated().map { "\(Gnuplot.quoted($1)) \($0)" }.joined(separator: ", ") + ")"
        }
        let data = Gnuplot.quoted(table.path)
        let body = """
        set title \(Gnuplot.quoted(title)) noenhanced
        set xlabel 'predicted'
        set ylabel 'true'
        set xrange [-0.5:\(Double(n) - 0.5)]
        set yrange [\(Double(n) - 0.5):-0.5]
        \(tics("xtics")) rotate by -35 noenhanced
        \(tics("ytics")) noenhanced
        set palette defined (0 'white', 1 '#1f77b4')
        set cblabel 'rows'
        set cbrange [0:*]
        plot \(data) using 1:2:3 with image notitle, \
             \(data) using 1:2:(sprintf('%d', $3)) with labels notitle
        """
        return try Gnuplot.plot(body, to: base, size: (max(600, 60 * n + 250), max(500, 50 * n + 200)))
    }

    /// A spectrogram image of one feature row [frames, bands] (time on x, band on y).
    @discardableResult
    public static func spectrogram(values: [Float], frames: Int, bands: Int, title: String, to base: URL) throws -> [URL] {
        let table = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + ".dat")
        var text = ""
        text.reserveCapacity(values.count * 10)
        for band in 0..<bands {
            text += (0..<frames).map { String(values[$0 * bands + band]) }.joined(separator: " ") + "\n"
        }
        try Data(text.utf8).write(to: table, options: .atomic)
        defer { try? FileManager.default.removeItem(at: table) }
        let body = """
        set title \(Gnuplot.quoted(title)) noenhanced
        set xlabel 'frame'
        set ylabel 'band'
        set xrange [-0.5:\(Double(frames) - 0.5)]
        set yrange [-0.5:\(Double(bands) - 0.5)]
        set palette defined (0 'black', 1 'purple', 2 'orange', 3 'yellow')
        set cblabel 'value'
        plot \(Gnuplot.quoted(table.path)) matrix with image notitle
        """
        return try Gnuplot.plot(body, to: base, size: (1000, 400))
    }
}
