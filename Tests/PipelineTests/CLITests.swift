import Foundation
import TestSupport
import XCTest

/// The `pipe` executable as a user runs it: help text, exit statuses, messages.
final class CLITests: XCTestCase {
    func run(_ arguments: [String], in folder: URL? = nil) throws -> ProcessResult {
        try ProcessRunner.pipe(arguments, in: folder)
    }

    func testHelpListsTheCommands() throws {
        let result = try run(["--help"])
        XCTAssertEqual(result.status, 0)
        for command in ["ingest", "run", "synth", "labels", "info", "verify", "bench"] {
            XCTAssertTrue(result.out.contains("  \(command)"), "help lacks \(command):\n\(result.out)")
        }
        let ingest = try run(["ingest", "--help"])
        for option in ["--data", "--path", "--out", "--threads", "--pipeline", "--accept-rejections"] {
            XCTAssertTrue(ingest.out.contains(option), "ingest help lacks \(option)")
        }
    }

    /// The README's commands end to end on a synthetic corpus, with a rejection: exit 3, then 0
    /// with --accept-rejections, then a view and a verified store.
    func testIngestExitStatusMergeAndVerify() throws {
        let fixture = try PipelineFixture(corpora: [], perClass: 1)
        defer { fixture.remove() }
        let data = fixture.data.path
        let synth = try run(["synth", "tau2020", "cochlscene", "--out", data, "--per-class", "1", "--duration", "1"])
        XCTAssertEqual(synth.status, 0, synth.err)
        // Remove one listed TAU file: a metadata-level rejection.
        let audio = fixture.data.appendingPathComponent("TAU-urban-acoustic-scenes-2020-mobile-development/audio")
        let first = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: audio.path).sorted().first)
        try FileManager.default.removeItem(at: audio.appendingPathComponent(first))

        let pipeline = fixture.url("short.yaml")
        let yaml = try String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 10.0", with: "duration: 1.0")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        let store = fixture.url("store").path
        let args = ["ingest", "tau2020", "cochlscene", "--pipeline", pipeline.path, "--data", data, "--out", store, "--progress", "lines"]
        let rejected = try run(args)
        XCTAssertEqual(rejected.status, 3, rejected.err)
        XCTAssertTrue(rejected.err.contains(first) && rejected.err.contains("missing"), rejected.err)
        XCTAssertTrue(rejected.out.contains("cochlscene"), rejected.out)
        let accepted = try run(args + ["--accept-rejections"])
        XCTAssertEqual(accepted.status, 0, accepted.err)
        XCTAssertTrue(accepted.out.contains("kept from an earlier run"), accepted.out)

        let merged = try run(["labels", "merge", "--taxonomy", "manifests/taxonomies/asc10.yaml", store, "--out", fixture.url("view").path])
        XCTAssertEqual(merged.status, 0, merged.err)
        XCTAssertTrue(merged.out.contains("Urban Park"), merged.out)
        let verified = try run(["verify", store])
        XCTAssertEqual(verified.status, 0, verified.err)

        // A flipped byte in a shard is found.
        let shard = fixture.url("store/shards/part-00000.h5")
        var bytes = try Data(contentsOf: shard)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: shard)
        let broken = try run(["verify", store])
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertTrue(broken.err.contains("part-00000.h5"), broken.err)
    }

    func testBadArgumentsAreExplained() throws {
        let result = try run(["ingest", "tau2020", "--path", "nonsense"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("--path takes corpus=DIR"), result.err)
        let missing = try run(["ingest", "tau2020", "--data", "/nonexistent/data", "--out", "/tmp/never"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("/nonexistent/data"), missing.err)
    }
}

/// An impossible or misspelt pipeline through the executable: a message naming the file and the
/// key, a non-zero exit, and no output folder (on the old code the first ran to a precondition
/// failure and the second exited 0 with 128 bands).
extension CLITests {
    func testImpossibleAndMisspeltPipelinesStopBeforeWriting() throws {
        let fixture = try PipelineFixture(corpora: [], perClass: 1)
        defer { fixture.remove() }
        let folder = fixture.url("clips/a")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cases = [
            ("n_fft: 2048, win_length: 4096", "win.yaml: features[0].win_length = 4096 exceeds n_fft = 2048"),
            ("n_mel: 64", "typo.yaml: unknown key 'n_mel' in features[0]; did you mean 'n_mels'?"),
        ]
        for (parameters, message) in cases {
            let name = message.prefix { $0 != ":" }
            try """
            name: bad
            inputs: {corpora: [folder]}
            audio: {sample_rate: 16000, duration: 1.0}
            features:
              - {name: m, kind: logmel, \(parameters)}
            """.write(to: fixture.url(String(name)), atomically: true, encoding: .utf8)
            let out = fixture.url("out-\(name)")
            let result = try run(["run", String(name), "--path", "folder=\(fixture.url("clips").path)", "--out", out.path],
                                     in: fixture.root)
            XCTAssertNotEqual(result.status, 0, result.err)
            XCTAssertTrue(result.err.contains(message), result.err)
            XCTAssertFalse(result.err.contains("Fatal error"), result.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(out.path) was created")
        }
    }
}
