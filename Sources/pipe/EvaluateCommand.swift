import ArgumentParser
import Foundation
import Plots
import Train

/// `pipe evaluate VIEW2` (a view of `pipe predict --out`) or `pipe evaluate PREDICTIONS STORE_OR_VIEW`:
/// accuracy overall, per class, device and city; macro accuracy; log loss; confusion matrix.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score predictions against a store's or view's labels.",
        discussion: """
            pipe evaluate VIEW2: the view written by pipe predict --out (its targets/<--name> probabilities); prints the \
            report and writes reports/evaluation[-SPLIT].txt, reports/confusion[-SPLIT].csv and the confusion plot into VIEW2. \
            pipe evaluate PREDICTIONS.csv STORE: a predictions CSV against STORE's labels; writes files only with --out.
            """)

    @Argument(help: "A predictions view (pipe predict --out), or a predictions CSV written by pipe predict.")
    var predictions: String

    @Argument(help: "With a CSV: the store (or view) folder or manifest.json holding the true labels.")
    var store: String?

    @Option(help: "Only the rows of this split.")
    var split: String?

    @Option(help: "The view's target column holding the probabilities (targets/<name>).")
    var name: String = "predicted"

    @Option(help: "With a CSV: folder to write evaluation.txt, confusion.csv and the plot confusion.png / confusion.svg into (created; existing files are refused).")
    var out: String?

    func run() throws {
        guard let store else {
            if out != nil { throw ValidationError("--out is for a predictions CSV; a view's evaluation goes into its reports/") }
            let view = try manifestURL(predictions)
            let evaluation = try Evaluation.evaluate(view: view, targets: name, split: split)
            print(evaluation.text)
            var files = try evaluation.writeReports(view: view, split: split)
            let plot = files[0].deletingLastPathComponent().appendingPathComponent("confusion" + (split.map { "-\($0)" } ?? ""))
            files += try ReportPlots.confusionMatrix(evaluation.confusion, classes: evaluation.classes,
                                                     title: "Confusion matrix: \(view.deletingLastPathComponent().lastPathComponent)"
                                                         + (split.map { " (\($0))" } ?? ""), to: plot)
            print("wrote \(files.map(\.path).joined(separator: ", "))")
            return
        }
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
