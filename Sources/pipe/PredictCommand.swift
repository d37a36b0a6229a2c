import ArgumentParser
import Foundation
import Store
import Labels
import Train

/// `pipe predict MODEL VIEW --out VIEW2 [--csv FILE] [--split S]`: class probabilities of every
/// selected row, as a view's `targets/<name>` and as the predictions CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write class probabilities of a store's or view's rows as a view (targets/<name>) and a predictions CSV.",
        discussion: """
            --out VIEW2: a view of STORE with the probabilities as targets/<--name> float32 [K] (no features copied), \
            which pipe evaluate VIEW2 scores and pipe train --soft-targets / --distill read. --csv FILE: header \
            id,<class names…>,predicted; one line per row: its id, probabilities (%.6f), the most probable class (the \
            format pipe labels pseudo reads). Whole recordings (a variable-length column) get one prediction each: the \
            mean of the class probabilities of the sliding windows of the CNN's crop (its --crop T, --crop-hop H).
            """)

    @Argument(help: "Model file written by pipe train: the MLP's JSON or a CNN checkpoint (.h5).")
    var model: String

    @Argument(help: "Store (or view) folder or manifest.json.")
    var store: String

    @Option(help: "Folder of the predictions view to write (a folder holding anything else is refused unless --overwrite).")
    var out: String

    @Option(help: "Also write the predictions CSV (id,<classes…>,predicted) here.")
    var csv: String?

    @Option(help: "Only the rows of this split.")
    var split: String?

    @Option(help: "Name of the target column the view adds (targets/<name>).")
    var name: String = "predicted"

    @Flag(help: "Replace an existing view of other predictions (only this tool's files) and an existing CSV.")
    var overwrite = false

    func run() throws {
        let view = URL(fileURLWithPath: out)
        // The pre-view form wrote the CSV with --out: refuse it rather than make a view folder named *.csv.
        if view.pathExtension.lowercased() == "csv" {
            throw ValidationError("--out \(out) names the predictions view folder; write the CSV with --csv \(out) --out VIEW2")
        }
        let csvURL = csv.map { URL(fileURLWithPath: $0) }
        if let csvURL, FileManager.default.fileExists(atPath: csvURL.path), !overwrite {
            throw ValidationError("\(csvURL.path) exists; nothing was predicted (pass --overwrite to replace it)")
        }
        let modelURL = URL(fileURLWithPath: model)
        let trained = try ModelFile.load(from: modelURL)
        let configHash = try Predictor.claimView(view, model: modelURL, split: split, name: name, overwrite: overwrite)
        let manifest = try manifestURL(store)
        let predictions = try Predictor.predict(trained, modelPath: model, manifest: manifest, split: split, threads: 2)
        try Predictor.writeView(predictions, manifest: manifest, directory: view, name: name, modelHash: configHash,
                                overwrite: overwrite)
        print("wrote view \(view.path) with targets/\(name) of \(predictions.count) rows")
        if let csvURL {
            try Predictor.file(predictions, classes: trained.classes).csvData(path: csvURL.path).write(to: csvURL, options: .atomic)
            print("wrote \(predictions.count) predictions to \(csvURL.path)")
        }
    }
}
