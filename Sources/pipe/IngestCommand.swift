import ArgumentParser
import Foundation
import Pipeline

/// `pipe ingest tau2020 cochlscene cas2023 --data DIR --out STORE`
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read corpora in their published layouts and write a feature store.",
        discussion: """
        Runs the shipped pipeline `ingest` (44.1 kHz mono, 10 s, ASCMamba log-mel; pipelines/ingest.yaml)
        unless --pipeline names another (`pipe pipelines` lists the shipped ones).
        Exit status: 0 done, 3 done but some inputs were rejected (see the manifest), 1 error.

        Example:
          pipe ingest tau2020 cochlscene cas2023 --data /corpora --out stores/pretrain --threads 2
        """)

    @Argument(help: "Corpora to read (tau2020, cochlscene, cas2023, tau2022, dcase2020t2, starss22, tau-nigens2021, folder). Default: the pipeline's inputs.corpora.")
    var corpora: [String] = []

    @Option(help: ArgumentHelp(ShippedArguments.pipelineHelp))
    var pipeline: String = "ingest"

    @Option(help: "Recording format of the SELD corpora: foa or mic (overrides inputs.format; default foa).")
    var format: String?

    @OptionGroup var options: RunOptions

    func validate() throws {
        if let format, !["foa", "mic"].contains(format) { throw ValidationError("--format takes foa or mic, not '\(format)'") }
    }

    func run() throws {
        var config = try ShippedArguments.pipeline(pipeline)
        if !corpora.isEmpty { config.inputs.corpora = corpora }
        if let format { config.inputs.format = format }
        try options.execute(config)
    }
}

/// `pipe run sps-dcase2020 --data DIR --out STORE` (a shipped name or a file)
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run any pipeline file.")

    @Argument(help: ArgumentHelp(ShippedArguments.pipelineHelp))
    var pipeline: String

    @OptionGroup var options: RunOptions

    func run() throws {
        try options.execute(try ShippedArguments.pipeline(pipeline))
    }
}
