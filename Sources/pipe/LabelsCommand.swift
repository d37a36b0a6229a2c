import ArgumentParser
import Foundation
import Labels

/// `pipe labels merge --taxonomy asc10 STORE --out VIEW`
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "Label stages: merge taxonomies, two-step pseudo-labels; each writes a view.",
        subcommands: [Merge.self, LabelsPseudoCommand.self, LabelsTeachersCommand.self])

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Map every corpus's labels onto one taxonomy; writes a view (no features copied).")

        @Option(help: "Taxonomy file (YAML), or the name of a shipped one (see `pipe pipelines`).")
        var taxonomy: String = "asc10"

        @Argument(help: "Store (or view) folder or manifest.json.")
        var store: String

        @Option(help: "Output view folder.")
        var out: String

        @Flag(help: "Replace what --out holds (a store, a view of another config, other files); only the tool's own files are removed.")
        var overwrite = false

        @Option(help: "all: keep rows with a unified or only a coarse class; unified: only rows with a unified class.")
        var keep: String = "all"

        func validate() throws {
            guard LabelKeepPolicy(rawValue: keep) != nil else { throw ValidationError("--keep must be all or unified") }
        }

        func run() throws {
            let taxonomy = try ShippedArguments.taxonomy(self.taxonomy)
            let report = try LabelMerge.run(store: URL(fileURLWithPath: store), taxonomy: taxonomy,
                                            out: URL(fileURLWithPath: out),
                                            keep: LabelKeepPolicy(rawValue: keep) ?? .all, overwrite: overwrite)
            for warning in report.warnings {
                FileHandle.standardError.write(Data("warning: taxonomy \(self.taxonomy): \(warning)\n".utf8))
            }
            print(report.table())
            print("view written to \(out) (no features copied)")
        }
    }
}
