import ArgumentParser

/// `pipe`: the command line of AcousticPipe. Every subcommand parses its options and calls one
/// library entry point; the work itself lives in the modules under Sources/.
@main
struct Pipe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipe",
        abstract: "Turn audio corpora into HDF5 feature stores, exactly as the reference recipes compute them.",
        version: VersionText.current,
        subcommands: [IngestCommand.self, RunCommand.self, SynthCommand.self, LabelsCommand.self, SplitCommand.self,
                      PlotCommand.self, InfoCommand.self, VerifyCommand.self, MergeCommand.self, SlurmScriptCommand.self,
                      PipelinesCommand.self, TrainCommand.self, PredictCommand.self, EvaluateCommand.self,
                      BenchCommand.self, BenchStreamCommand.self, BenchTrainCommand.self])
}
