import ArgumentParser
import Foundation
import Store
import Labels
import Train

/// `pipe predict MODEL VIEW --out predictions.csv`: class probabilities of every selected row.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write class probabilities of a store's or view's rows as a predictions CSV.",
        discussion: "Format: header id,<class names…>,predicted; one line per row: its id, probabilities (%.6f), the most probable class.")

    @Argument(help: "Model file written by pipe train: the MLP's JSON or a CNN checkpoint (.h5).")
    var model: String

    @Argument(help: "Store (or view) folder or manifest.json.")
    var store: String

    @Option(help: "Predictions CSV to write.")
    var out: String

    @Option(help: "Only the rows of this split.")
    var split: String?

    @Option(help: "Also write a view of the store with the probabilities as targets/<--name> (no features copied).")
    var view: String?

    @Option(help: "Name of the target column the view adds.")
    var name: String = "predicted"

    @Flag(help: "Replace an existing CSV.")
    var overwrite = false

    func run() throws {
        let output = URL(fileURLWithPath: out)
        if FileManager.default.fileExists(atPath: output.path), !overwrite {
            throw ValidationError("\(output.path) exists; nothing was predicted (pass --overwrite to replace it)")
        }
        let trained = try ModelFile.load(from: URL(fileURLWithPath: model))
        let predictions = try Predictor.predict(trained, modelPath: model, manifest: manifestURL(store), split: split, threads: 2)
        try Predictor.file(predictions, classes: trained.classes).csvData(path: output.path).write(to: output, options: .atomic)
        print("wrote \(predictions.count) predictions to \(output.path)")
        if let view {
            let hash = try FileDigest.of(URL(fileURLWithPath: model)).sha256
            try Predictor.writeView(predictions, manifest: manifestURL(store), directory: URL(fileURLWithPath: view), name: name,
                                    modelHash: hash)
            print("wrote view \(view) with targets/\(name)")
        }
    }
}
