import ArgumentParser
import Corpora
import Foundation

/// `pipe synth tau2020 --out data --per-class 2`
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a small synthetic corpus in its exact published layout, with every metadata file.",
        discussion: "Audio content depends on the class, so a classifier can learn it. Same seed, same bytes.")

    @Argument(help: "Corpora to generate (\(SyntheticCorpora.names.joined(separator: ", "))).")
    var corpora: [String]

    @Option(help: "Folder to create the corpus folders in.")
    var out: String

    @Option(help: "Clips per class and split.")
    var perClass: Int = 2

    @Option(help: "Seed.")
    var seed: UInt64 = 0

    @Option(help: "Clip duration in seconds (default: the real corpus's, 10 s; 1 s for tau2022).")
    var duration: Double?

    func validate() throws {
        guard perClass > 0 else { throw ValidationError("--per-class must be at least 1") }
        guard duration.map({ $0 > 0 }) ?? true else { throw ValidationError("--duration must be positive") }
        for name in corpora where SyntheticCorpora.generator(named: name) == nil {
            throw ValidationError("no synthetic generator for '\(name)' (known: \(SyntheticCorpora.names.joined(separator: ", ")))")
        }
    }

    func run() throws {
        let root = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for name in corpora {
            guard let generator = SyntheticCorpora.generator(named: name) else { continue }
            let summary = try generator.generate(root: root, perClass: perClass, seed: seed, durationSeconds: duration ?? generator.defaultDurationSeconds)
            print("\(name): \(summary.filesWritten) clips in \(summary.corpusFolder) "
                  + "(\(summary.perClass.count) classes, \(summary.unlabeled) unlabeled; metadata: \(summary.metadataFiles.joined(separator: ", ")))")
        }
    }
}
