import ArgumentParser
import Foundation
import Plots
import Train

/// `pipe evaluate PREDICTIONS STORE_OR_VIEW`: accuracy overall, per class, device and city; macro
/// accuracy; log loss; confusion matrix.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a predictions CSV against a store's or view's labels.")

    @Argument(help: "Predictions CSV written by pipe predict.")
    var predictions: String

    @Argument(help: "Store (or view) folder or manifest.json holding the true labels.")
    var store: String

    @Option(help: "Only the rows of this split.")
    var split: String?

    @Option(help: "Folder to write evaluation.txt, confusion.csv and the plot confusion.png / confusion.svg into (created; existing files are refused).")
    var out: String?

    func run() throws {
        let evaluation = try Evaluation.evaluate(predictions: URL(fileURLWithPath: predictions), manifest: manifestURL(store), split: split)
        print(evaluation.text)
        guard let out else { return }
        let folder = URL(fileURLWithPath: out)
        let files = ["evaluation.txt", "confusion.csv", "confusion.png", "confusion.svg"].map { folder.appendingPathComponent($0) }
        if let existing = files.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            throw ValidationError("\(existing.path) exists; remove it or choose another --out")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data((evaluation.text + "\n").utf8).write(to: files[0], options: .atomic)
        try evaluation.confusionCSV().write(to: files[1], options: .atomic)
        try ReportPlots.confusionMatrix(evaluation.confusion, classes: evaluation.classes,
                                        title: "Confusion matrix: \(URL(fileURLWithPath: predictions).lastPathComponent)",
                                        to: folder.appendingPathComponent("confusion"))
        print("wrote \(files.map(\.path).joined(separator: ", "))")
    }
}
