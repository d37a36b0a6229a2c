import ArgumentParser
import Foundation
import Plots
import Store

/// `pipe plot STORE --row ID --out BASE`: a spectrogram image (PNG and SVG) of one stored feature row.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "Draw a stored feature row as a spectrogram image (BASE.png and BASE.svg, by gnuplot).")

    @Argument(help: "Store or view folder (or manifest.json).")
    var store: String

    @Option(help: "The row: its meta/id, or its row number when no id matches.")
    var row: String

    @Option(help: "Feature column (default: the only features/ column).")
    var feature: String?

    @Option(help: "Channel of a [C, T, F] feature.")
    var channel: Int = 0

    @Option(help: "Output path without extension: BASE.png and BASE.svg are written.")
    var out: String

    func run() throws {
        let reader = try StoreReader(manifest: URL(fileURLWithPath: store))
        let path = reader.manifestURL.path
        let features = reader.columns.filter { $0.name.hasPrefix("features/") && $0.dtype == .float32 && $0.rowShape.count >= 2 }
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
        let base = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: base.deletingLastPathComponent(), withIntermediateDirectories: true)
        let title = "\(ids.indices.contains(index) ? ids[index] : "row \(index)") — \(spec.name) channel \(channel)"
        let files = try ReportPlots.spectrogram(values: slice, frames: frames, bands: bands, title: title, to: base)
        print("wrote " + files.map(\.path).joined(separator: " and "))
    }
}
