import Foundation
import TestSupport
import XCTest

/// `--help` of `pipe` and every subcommand, compared with the committed text in Snapshots/, so a
/// changed option or wording is a visible diff in review rather than a surprise for users.
///
/// To regenerate after an intended change: `swift build && RECORD_SNAPSHOTS=1 swift test --skip-build
/// --filter HelpSnapshotTests`, then review `git diff Tests/PipelineTests/Snapshots`.
final class HelpSnapshotTests: XCTestCase {
    static let commands: [[String]] = [
        [], ["ingest"], ["run"], ["synth"], ["labels"], ["labels", "merge"], ["labels", "pseudo"], ["labels", "teachers"], ["split"], ["split", "domain"], ["plot"], ["info"], ["verify"],
        ["merge"], ["slurm-script"], ["pipelines"], ["train"], ["predict"], ["evaluate"], ["bench"], ["bench-train"],
    ]

    static let snapshots = Repository.url("Tests/PipelineTests/Snapshots")

    func testHelpMatchesTheSnapshots() throws {
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        // A fixed width, whatever terminal or CI log runs the tests.
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "100"
        for command in Self.commands {
            let result = try ProcessRunner.pipe(command + ["--help"], environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
            let name = (["pipe"] + command).joined(separator: "-") + ".txt"
            let file = Self.snapshots.appendingPathComponent(name)
            if record {
                try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
                try Data(result.out.utf8).write(to: file)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(result.out, expected, "\(name) differs (regenerate: see HelpSnapshotTests' doc comment)")
        }
    }
}
