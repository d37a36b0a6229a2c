import ArgumentParser
import Foundation
import Labels

/// `pipe labels pseudo VIEW --predictions A.csv --second B.csv --top 0.9 --out OUT`
struct LabelsPseudoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pseudo",
        abstract: "Two-step pseudo-labels from two models' predictions (CSV id,<classes…>[,predicted]); writes a view.")

    @Argument(help: "Store or view folder (or manifest.json); its rows with meta/label -1 are the unlabeled rows.")
    var view: String

    @Option(help: "Model A's predictions for every unlabeled row (the CSV `pipe predict` writes).")
    var predictions: String

    @Option(help: "Model B's predictions for the same rows.")
    var second: String

    @Option(help: "Step 1: the fraction in (0, 1] of unlabeled rows where A is most confident (⌊top·n⌋ rows, ties by id).")
    var top: Double = 0.9

    @Option(help: "Step 2 on the rest: same-class (A and B agree) or none.")
    var agreement: String = PseudoLabels.Agreement.sameClass.rawValue

    @Option(help: "Eq. 2's prior: a coarse (indoor/outdoor) classifier's predictions for the same rows, applied to model B's scores.")
    var prior: String?

    @Option(help: "Taxonomy whose coarse map gives each class its coarse class (with --prior).")
    var taxonomy: String = "manifests/taxonomies/asc10.yaml"

    @Option(help: "Output view folder.")
    var out: String

    @Flag(help: "Replace what --out holds; only the tool's own files are removed.")
    var overwrite = false

    func validate() throws {
        guard PseudoLabels.Agreement(rawValue: agreement) != nil else { throw ValidationError("--agreement must be same-class or none") }
    }

    func run() throws {
        let coarse = try prior.map { PseudoLabels.CoarsePrior(predictions: URL(fileURLWithPath: $0),
                                                               taxonomy: try Taxonomy.load(from: URL(fileURLWithPath: taxonomy))) }
        let report = try PseudoLabels.run(view: URL(fileURLWithPath: view), predictions: URL(fileURLWithPath: predictions),
                                          second: URL(fileURLWithPath: second), top: top,
                                          agreement: PseudoLabels.Agreement(rawValue: agreement) ?? .sameClass, prior: coarse,
                                          out: URL(fileURLWithPath: out), overwrite: overwrite)
        print(report.table(), terminator: "")
        print("view written to \(out) (no features copied); reports in \(out)/reports/")
    }
}
