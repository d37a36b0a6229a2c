import ArgumentParser
import Pipeline
import ShippedFiles
import TextTables

/// `pipe pipelines`: the pipelines and taxonomies built into this binary.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "List the pipelines and taxonomies built into pipe (usable by name from any folder).",
        discussion: """
        A --pipeline or --taxonomy argument is a file when one exists at that path; otherwise the name
        (or repository path, e.g. pipelines/ingest.yaml) of one listed here.
        """)

    func run() throws {
        let pipelines = ShippedFiles.files(.pipeline)
        print(TextTable.render(header: ["pipeline", "paper", "description"],
                               rows: pipelines.map { [$0.name, $0.paper ?? "-", $0.description ?? "-"] }))
        print("")
        let taxonomies = ShippedFiles.files(.taxonomy)
        print(TextTable.render(header: ["taxonomy", "file"], rows: taxonomies.map { [$0.name, $0.path] }))
    }
}
