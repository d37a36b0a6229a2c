import ArgumentParser
import Foundation
import Plots
import Store

/// `pipe plot STORE --row ID --out BASE`: a spectrogram image (PNG and SVG) of one stored feature row;
/// `pipe plot STORE --class-counts --out BASE`: rows per class, one bar per corpus and split.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "Draw a stored feature row as a spectrogram, or the class counts per corpus and split (BASE.png and BASE.svg, by gnuplot).")

    @Argument(help: "Store or view folder (or manifest.json).")
    var store: String

    @Option(help: "The row: its meta/id, or its row number when no id matches.")
    var row: String?

    @Flag(help: "Instead of a row: bars of rows per class, one per corpus and split (reports/class_counts.csv's figures).")
    var classCounts = false

    @Option(help: "Feature column (default: the only features/ column).")
    var feature: String?

    @Option(help: "Channel of a [C, T, F] feature.")
    var channel: Int = 0

    @Option(help: "Output path without extension: BASE.png and BASE.svg are written.")
    var out: String

    func validate() throws {
        guard (row != nil) != classCounts else { throw ValidationError("give --row ID or --class-counts") }
    }

    func run() throws {
        let reader = try StoreReader(manifest: URL(fileURLWithPath: store))
        let path = reader.manifestURL.path
        let base = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: base.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard let row else {
            guard let rows = try StoreReports.classCounts(reader) else {
                throw ValidationError("\(path): no meta/source and meta/label columns to count")
            }
            // rows: corpus, class, split, corpus_split, count → [class, "corpus/split"] → count.
            var counts: [[String]: Int] = [:]
            for r in rows { counts[[r[1], r[0] + "/" + r[2]], default: 0] += Int(r[4]) ?? 0 }
            let groups = Set(counts.keys.map { $0[1] }).sorted()
            let files = try ReportPlots.classCountBars(counts: counts, splits: groups, title: "Rows per class, corpus and split",
                                                       to: base)
            print("wrote " + files.map(\.path).joined(separator: " and "))
            return
        }
        let features = reader.columns.filter { $0.name.hasPrefix("features/") && $0.dtype == .float32 && !$0.isVariableLength && $0.rowShape.count >= 2 }
        let spec: ColumnSpec
        if let feature {
            guard let found = features.first(where: { $0.name == feature }) else {
                throw ValidationError("\(path): no feature column '\(feature)' (features: \(features.map(\.name).joined(separator: ", ")))")
            }
            spec = found
        } else {
            guard features.count == 1, let only = features.first else {
                throw ValidationError("\(path): \(features.count) feature columns (\(features.map(\.name).joined(separator: ", "))): choose one with --feature")
            }
            spec = only
        }
        let ids = reader.columns.contains { $0.name == "meta/id" } ? try reader.readStrings("meta/id") : []
        guard let index = ids.firstIndex(of: row) ?? Int(row).flatMap({ (0..<reader.rowCount).contains($0) ? $0 : nil }) else {
            throw ValidationError("\(path): no row with meta/id '\(row)' (and not a row number below \(reader.rowCount))")
        }
        let frames = spec.rowShape[spec.rowShape.count - 2], bands = spec.rowShape[spec.rowShape.count - 1]
        let channels = spec.elementsPerRow / (frames * bands)
        guard (0..<channels).contains(channel) else {
            throw ValidationError("--channel \(channel): \(spec.name) has \(channels) channel(s)")
        }
        guard let values = try reader.readRow(index, columns: [spec.name]).floats(spec.name) else {
            throw ValidationError("\(path): row \(index) has no \(spec.name) values")
        }
        let slice = Array(values[(channel * frames * bands)..<((channel + 1) * frames * bands)])
        let title = "\(ids.indices.contains(index) ? ids[index] : "row \(index)") — \(spec.name) channel \(channel)"
        let files = try ReportPlots.spectrogram(values: slice, frames: frames, bands: bands, title: title, to: base)
        print("wrote " + files.map(\.path).joined(separator: " and "))
    }
}
