import ArgumentParser
import Foundation
import Labels

/// `pipe labels merge --taxonomy manifests/taxonomies/asc10.yaml STORE --out VIEW`
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "Label stages: merge taxonomies into a view.",
        subcommands: [Merge.self])

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map every corpus's labels onto one taxonomy; writes a view (no features copied).")

        @Option(help: "Taxonomy file (YAML).")
        var taxonomy: String = "manifests/taxonomies/asc10.yaml"

        @Argument(help: "Store (or view) folder or manifest.json.")
        var store: String

        @Option(help: "Output view folder.")
        var out: String

        func run() throws {
            let taxonomy = try Taxonomy.load(URL(fileURLWithPath: self.taxonomy))
            let report = try LabelMerge.run(store: URL(fileURLWithPath: store), taxonomy: taxonomy,
                                            out: URL(fileURLWithPath: out))
            print(report.table)
        }
    }
}
