import ArgumentParser
import Foundation
import Splits

/// `pipe split domain VIEW --reference REF --threshold 0.9 --out OUT`
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Split stages: Valid-Easy / Valid-Hard by domain similarity; writes views.",
        subcommands: [Domain.self, ShuffleMetadata.self, UnseenLocationsCommand.self])

    struct Domain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rows whose feature statistics are most like a reference set's become valid-hard (seed 000 §IV-A); writes a view.")

        @Argument(help: "Store or view folder (or manifest.json) to split.")
        var view: String

        @Option(help: "Reference store or view (e.g. the CAS 2023 evaluation rows).")
        var reference: String

        @Option(help: "Output view folder.")
        var out: String

        @Option(help: "Rows strictly above this cosine similarity become valid-hard (default 0.9 unless --fraction).")
        var threshold: Double?

        @Option(help: "Instead of a threshold: the most similar fraction f in (0, 1] (⌊f·n⌋ rows, at least 1).")
        var fraction: Double?

        @Option(help: "Feature column (default: the view's only features/ column).")
        var feature: String?

        @Option(help: "Statistics per band, comma-separated: mean, variance (population).")
        var statistics: String = "mean,variance"

        @Option(help: "reference-mean (cosine with the reference set's mean statistics), nearest (best reference clip) or clip-mean (mean over reference clips).")
        var comparison: String = DomainComparison.referenceMean.rawValue

        @Flag(help: "Z-score each statistic over the pooled view and reference rows before comparing.")
        var standardise = false

        @Option(help: "Split only the rows whose meta/split is this value (others keep theirs).")
        var within: String?

        @Option(help: "Reference rows: only those whose meta/split is this value.")
        var referenceSplit: String?

        @Option(help: "Reference rows: only those whose meta/source (corpus) is this value.")
        var referenceSource: String?

        @Flag(help: "Replace what --out holds (a store, a view of another config, other files); only the tool's own files are removed.")
        var overwrite = false

        func validate() throws {
            if threshold != nil, fraction != nil { throw ValidationError("give --threshold or --fraction, not both") }
            guard DomainComparison(rawValue: comparison) != nil else {
                throw ValidationError("--comparison must be one of \(DomainComparison.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for name in statistics.split(separator: ",") where DomainStatistic(rawValue: String(name)) == nil {
                throw ValidationError("--statistics: unknown statistic '\(name)' (mean, variance)")
            }
        }

        func run() throws {
            let rule: DomainRule = fraction.map(DomainRule.fraction) ?? .threshold(threshold ?? 0.9)
            let options = DomainSplitOptions(
                feature: feature, statistics: statistics.split(separator: ",").compactMap { DomainStatistic(rawValue: String($0)) },
                comparison: DomainComparison(rawValue: comparison) ?? .referenceMean, standardise: standardise,
                rule: rule, within: within, referenceSplit: referenceSplit, referenceSource: referenceSource)
            let report = try DomainSplit.run(view: URL(fileURLWithPath: view), reference: URL(fileURLWithPath: reference),
                                             options: options, out: URL(fileURLWithPath: out), overwrite: overwrite)
            print(report.table(), terminator: "")
            if let warning = report.warning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
            print("view written to \(out) (no features copied); reports in \(out)/reports/"
                  + (report.plots.isEmpty ? " (no plots: gnuplot not found)" : "; plots: " + report.plots.joined(separator: ", ")))
        }
    }

    struct ShuffleMetadata: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shuffle-metadata",
            abstract: "Valid-Hard (x%): permute (location, time) among a fraction of rows by a derangement; one view per fraction.")

        @Argument(help: "Store or view folder (or manifest.json), e.g. the output of `pipe split domain`.")
        var view: String

        @Option(help: "Rows whose meta/split is this value are the candidates.")
        var within: String = "valid-hard"

        @Option(help: "Comma-separated fractions in (0, 1]; round(x·n) rows each (at least 2).")
        var fractions: String = "0.05,0.1,0.2,0.5,0.7,1"

        @Option(help: "Comma-separated meta columns to permute (location → meta/location).")
        var columns: String = "location,time"

        @Flag(help: "Derange each column independently instead of moving the values of a row together.")
        var separately = false

        @Option(help: "Seed of the selection and the derangements.")
        var seed: UInt64 = 0

        @Option(help: "Output folder: one view per fraction in OUT/<percent>/.")
        var out: String

        @Flag(help: "Replace what the fraction folders hold; only the tool's own files are removed.")
        var overwrite = false

        func run() throws {
            let outcomes = try MetadataShuffle.run(
                view: URL(fileURLWithPath: view), within: within, fractions: try RowSampling.fractions(fractions),
                columns: columns.split(separator: ",").map(String.init), jointly: !separately, seed: seed,
                out: URL(fileURLWithPath: out), overwrite: overwrite)
            print(MetadataShuffle.table(outcomes, within: within), terminator: "")
            print("views written to \(out)/<percent>/ (no features copied)")
        }
    }

    struct UnseenLocationsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unseen-locations",
            abstract: "Replace the location of a fraction of rows by one seen only in a reference set; one view per fraction.")

        @Argument(help: "Store or view folder (or manifest.json).")
        var view: String

        @Option(help: "Reference store or view whose locations the view lacks (e.g. CAS 2023 eval).")
        var reference: String

        @Option(help: "Rows whose meta/split is this value are the candidates.")
        var within: String = "valid-hard"

        @Option(help: "Comma-separated fractions in (0, 1].")
        var fractions: String = "0.05,0.1,0.2,0.5,0.7,1"

        @Option(help: "Seed of the selection (the same as shuffle-metadata's) and of the drawn locations.")
        var seed: UInt64 = 0

        @Option(help: "Output folder: one view per fraction in OUT/<percent>/.")
        var out: String

        @Flag(help: "Replace what the fraction folders hold; only the tool's own files are removed.")
        var overwrite = false

        func run() throws {
            let outcomes = try UnseenLocations.run(
                view: URL(fileURLWithPath: view), reference: URL(fileURLWithPath: reference), within: within,
                fractions: try RowSampling.fractions(fractions), seed: seed, out: URL(fileURLWithPath: out), overwrite: overwrite)
            print(MetadataShuffle.table(outcomes, within: within), terminator: "")
            print("views written to \(out)/<percent>/ (no features copied)")
        }
    }
}
