import Foundation
import TestSupport
import XCTest

/// The store's safety as a user meets it through `pipe`: two ingests at once, `pipe merge`, stale
/// views refused by `info` and `verify`, and the manifest checksum restated in Python.
final class StoreSafetyCLITests: XCTestCase {
    var binary: URL { Repository.url(".build/debug/pipe") }
    var fixture: PipelineFixture!
    var pipeline: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is missing: `make test` builds it before running the tests")
        }
        fixture = try PipelineFixture(corpora: ["tau2020", "cas2023"], perClass: 1)
        pipeline = fixture.url("short.yaml")
        let yaml = try String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 10.0", with: "duration: 1.0")
            .replacingOccurrences(of: "shard_rows: 128", with: "shard_rows: 4")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
    }

    override func tearDown() { fixture?.remove() }

    func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    func finish(_ started: (Process, Pipe, Pipe)) -> (status: Int32, out: String, err: String) {
        let out = started.1.fileHandleForReading.readDataToEndOfFile()
        let err = started.2.fileHandleForReading.readDataToEndOfFile()
        started.0.waitUntilExit()
        return (started.0.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    func run(_ arguments: [String]) throws -> ProcessResult { try ProcessRunner.pipe(arguments) }

    func ingestArguments(out: String, seed: Int = 0) -> [String] {
        ["ingest", "tau2020", "cas2023", "--pipeline", pipeline.path, "--data", fixture.data.path, "--out", out,
         "--progress", "none", "--threads", "1", "--seed", String(seed)]
    }

    /// Two `pipe ingest` into one store at once: one may be refused (naming the lock), never a store
    /// that fails `verify` after an exit 0.
    func testTwoIngestsIntoOneStoreAtOnce() throws {
        var refusals = 0
        for trial in 0..<4 {
            let store = fixture.url("store-\(trial)").path
            let a = try start(ingestArguments(out: store)), b = try start(ingestArguments(out: store))
            let results = [finish(a), finish(b)]
            for result in results where result.status != 0 {
                refusals += 1
                XCTAssertTrue(result.err.contains("locked by another process"), "trial \(trial): \(result.err)")
            }
            XCTAssertTrue(results.contains { $0.status == 0 }, "trial \(trial): \(results.map(\.err))")
            let verified = try run(["verify", store])
            XCTAssertEqual(verified.status, 0, "trial \(trial): \(verified.err)")
        }
        print("two ingests at once: \(refusals) of 8 runs refused, every store verified")
    }

    /// A view and a view of it; the store rebuilt with another seed (`--overwrite`): `info` and
    /// `verify` of either view exit non-zero naming the store. `pipe merge` finalizes a store.
    func testStaleViewsFailInfoAndVerifyAndMergeFinalizes() throws {
        let store = fixture.url("store").path
        XCTAssertEqual(try run(ingestArguments(out: store)).status, 0)
        let taxonomy = "manifests/taxonomies/asc10.yaml"
        let view = fixture.url("view").path, nested = fixture.url("nested").path
        XCTAssertEqual(try run(["labels", "merge", "--taxonomy", taxonomy, store, "--out", view]).status, 0)
        XCTAssertEqual(try run(["labels", "merge", "--taxonomy", taxonomy, view, "--out", nested]).status, 0)
        XCTAssertEqual(try run(["info", nested]).status, 0)
        // The same view again is fine; a store where a view goes is not.
        XCTAssertEqual(try run(["labels", "merge", "--taxonomy", taxonomy, store, "--out", view]).status, 0)
        let refused = try run(["labels", "merge", "--taxonomy", taxonomy, view, "--out", store])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("holds a store") && refused.err.contains("--overwrite"), refused.err)

        let again = try run(ingestArguments(out: store, seed: 5))
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.err.contains("another configuration"), again.err)
        XCTAssertEqual(try run(ingestArguments(out: store, seed: 5) + ["--overwrite"]).status, 0)
        for folder in [view, nested] {
            for command in ["info", "verify"] {
                let result = try run([command, folder])
                XCTAssertNotEqual(result.status, 0, "\(command) \(folder)")
                XCTAssertTrue(result.err.contains("stale view") && result.err.contains(store + "/manifest.json"), result.err)
            }
        }

        // `pipe merge`: remove the manifest, finalize again from the folder alone.
        let manifest = fixture.url("store/manifest.json")
        let bytes = try Data(contentsOf: manifest)
        try FileManager.default.removeItem(at: manifest)
        let merged = try run(["merge", store])
        XCTAssertEqual(merged.status, 0, merged.err)
        XCTAssertEqual(try Data(contentsOf: manifest), bytes)
        try FileManager.default.removeItem(at: fixture.url("store/shards/part-00001.json"))
        let incomplete = try run(["merge", store])
        XCTAssertNotEqual(incomplete.status, 0)
        XCTAssertTrue(incomplete.err.contains("part-00001: missing"), incomplete.err)
    }

    /// The manifest's checksum, as the README states it, computed by Python's json and hashlib.
    func testManifestChecksumRuleHoldsInPython() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no /usr/bin/python3") }
        let store = fixture.url("store").path
        XCTAssertEqual(try run(ingestArguments(out: store)).status, 0)
        let script = """
        import hashlib, json, sys
        m = json.load(open(sys.argv[1] + "/manifest.json"))
        body = json.dumps({k: v for k, v in m.items() if k != "checksum"}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        print(hashlib.sha256(body.encode()).hexdigest() == m["checksum"])
        """
        let text = try ProcessRunner.run(URL(fileURLWithPath: python), ["-c", script, store]).out
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "True")

        // One class name edited by one byte: `pipe verify` fails naming the manifest.
        let manifest = fixture.url("store/manifest.json")
        let json = try String(contentsOf: manifest, encoding: .utf8)
        XCTAssertTrue(json.contains("\"airport\""))
        try json.replacingOccurrences(of: "\"airport\"", with: "\"airporu\"").write(to: manifest, atomically: true, encoding: .utf8)
        let verified = try run(["verify", store])
        XCTAssertNotEqual(verified.status, 0)
        XCTAssertTrue(verified.err.contains("manifest.json") && verified.err.contains("checksum mismatch"), verified.err)
    }
}
