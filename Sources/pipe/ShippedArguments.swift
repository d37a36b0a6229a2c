import Foundation
import Labels
import Pipeline
import ShippedFiles

/// `--pipeline` and `--taxonomy` arguments: a file when one exists at the path, otherwise a file
/// embedded in the binary by name (`ingest`, `asc10`) or by its repository path. Which one was used
/// goes to standard error, so a run outside the repository never uses a copy the user did not expect.
enum ShippedArguments {
    static func pipeline(_ argument: String, announce: Bool = true) throws -> PipelineConfig {
        let resolved = try ShippedFiles.resolve(argument, kind: .pipeline)
        if announce { printError("pipeline: \(resolved.usedLine)") }
        return try PipelineConfig.load(yaml: resolved.text, source: resolved.source)
    }

    static func taxonomy(_ argument: String) throws -> Taxonomy {
        let resolved = try ShippedFiles.resolve(argument, kind: .taxonomy)
        printError("taxonomy: \(resolved.usedLine)")
        return try Taxonomy(yaml: resolved.text, source: resolved.source)
    }

    /// Help text for an option that takes a pipeline.
    static var pipelineHelp: String {
        "Pipeline file, or the name of a shipped one (\(ShippedFiles.files(.pipeline).map(\.name).joined(separator: ", ")); see `pipe pipelines`)."
    }
}
