import Foundation
import Store
import TestSupport
import XCTest

/// A full disk as `pipe ingest` meets it: the run stops with one message naming the file and the
/// reason and a non-zero status, never a signal (HDF5's exit handler used to crash closing the file
/// whose close had failed), and a rerun with space resumes to a store that verifies and holds the
/// same shards as a run that never ran out of space.
///
/// Two ways to fill a disk: a tiny tmpfs (needs root, as CI has) and RLIMIT_FSIZE in a child shell
/// (any user; SIGXFSZ ignored so the write fails with EFBIG instead of killing the process). Each
/// runs when it can; if neither produced a failed run, the test fails rather than pass unchecked.
final class DiskFullTests: XCTestCase {
    var fixture: PipelineFixture!
    var pipeline: URL!
    var reference: Manifest!
    var storeBytes = 0
    var largestFileBytes = 0

    override func setUpWithError() throws {
        try PipeChild.requireBinary()
        fixture = try PipelineFixture(corpora: ["tau2020"], perClass: 1)
        pipeline = fixture.url("short.yaml")
        let yaml = try String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 10.0", with: "duration: 1.0")
            .replacingOccurrences(of: "shard_rows: 128", with: "shard_rows: 4")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        // A run with space: the store's size, and the shards every resumed run must reproduce.
        let store = fixture.url("reference")
        let ending = try PipeChild.run(ingest(into: store.path))
        XCTAssertEqual(ending.status, 0, ending.err)
        reference = try Manifest.load(from: store.appendingPathComponent("manifest.json"))
        for (_, data) in try PipelineFixture.files(under: store) {
            storeBytes += data.count
            largestFileBytes = max(largestFileBytes, data.count)
        }
        XCTAssertGreaterThan(reference.shards.count, 1, "the test needs a store of several shards")
    }

    override func tearDown() { fixture?.remove() }

    func ingest(into store: String) -> [String] {
        ["ingest", "tau2020", "--pipeline", pipeline.path, "--data", fixture.data.path, "--out", store,
         "--progress", "none", "--threads", "1"]
    }

    func testFullDiskStopsCleanlyAndResumes() throws {
        var exercised: [String] = []
        if try tinyFilesystemRun() { exercised.append("tmpfs") }
        if try fileSizeLimitRun() { exercised.append("RLIMIT_FSIZE") }
        XCTAssertFalse(exercised.isEmpty,
                       "neither a tiny tmpfs nor RLIMIT_FSIZE made `pipe ingest` run out of space: the full-disk path was not tested")
        print("full disk exercised through: \(exercised.joined(separator: ", ")) (store \(storeBytes) bytes, largest file \(largestFileBytes))")
    }

    /// Ingests into a tmpfs of half the store's size, then grows it and runs again. Returns false
    /// when this machine does not let the test mount one.
    private func tinyFilesystemRun() throws -> Bool {
        let mountPoint = fixture.url("tiny")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let pageBytes = 4096
        let small = max(pageBytes, storeBytes / 2 / pageBytes * pageBytes)
        guard getuid() == 0, try system("/bin/mount", ["-t", "tmpfs", "-o", "size=\(small)", "tmpfs", mountPoint.path]) == 0 else {
            print("tmpfs: cannot mount here (not root, or no permission); RLIMIT_FSIZE only")
            return false
        }
        defer { _ = try? system("/bin/umount", [mountPoint.path]) }
        let store = mountPoint.appendingPathComponent("store")
        let full = try PipeChild.run(ingest(into: store.path))
        assertCleanFailure(full, store: store, reasons: ["No space left on device"], label: "tmpfs of \(small) bytes")
        XCTAssertEqual(try system("/bin/mount", ["-o", "remount,size=\(storeBytes * 4)", mountPoint.path]), 0)
        try assertResumes(store, label: "tmpfs")
        return full.status != 0
    }

    /// Ingests with every file limited to half the largest shard, then again without the limit.
    private func fileSizeLimitRun() throws -> Bool {
        let store = fixture.url("limited")
        let kibibytes = max(1, largestFileBytes / 2 / 1024)
        let arguments = ingest(into: store.path).map { "'\($0)'" }.joined(separator: " ")
        // `trap '' XFSZ` is inherited through exec: the write returns EFBIG instead of a signal.
        let limited = try PipeChild.run([], shell: "trap '' XFSZ; ulimit -f \(kibibytes); exec \"$PIPE\" \(arguments)")
        assertCleanFailure(limited, store: store, reasons: ["File too large"], label: "RLIMIT_FSIZE \(kibibytes) KiB")
        try assertResumes(store, label: "RLIMIT_FSIZE")
        return limited.status != 0
    }

    private func assertCleanFailure(_ ending: ProcessResult, store: URL, reasons: [String], label: String) {
        XCTAssertFalse(ending.signaled, "\(label): pipe died of signal \(ending.status): \(ending.err)")
        XCTAssertNotEqual(ending.status, 0, "\(label): a full disk passed as success: \(ending.out)")
        XCTAssertTrue(ending.err.contains(store.path), "\(label): the message names no file of the store: \(ending.err)")
        XCTAssertTrue(reasons.contains { ending.err.contains($0) }, "\(label): the message gives no reason: \(ending.err)")
        XCTAssertFalse(ending.err.contains("HDF5-DIAG"), "\(label): HDF5 printed its own error stack: \(ending.err)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.appendingPathComponent("manifest.json").path),
                       "\(label): a failed run left a manifest")
    }

    /// A rerun with space finishes, verifies, and holds the reference run's shards byte for byte.
    private func assertResumes(_ store: URL, label: String) throws {
        let resumed = try PipeChild.run(ingest(into: store.path))
        XCTAssertFalse(resumed.signaled, "\(label): resume died of signal \(resumed.status)")
        XCTAssertEqual(resumed.status, 0, "\(label): resume failed: \(resumed.err)")
        let verified = try PipeChild.run(["verify", store.path])
        XCTAssertEqual(verified.status, 0, "\(label): the resumed store does not verify: \(verified.err)")
        let manifest = try Manifest.load(from: store.appendingPathComponent("manifest.json"))
        XCTAssertEqual(manifest.shards.map(\.sha256), reference.shards.map(\.sha256), "\(label): resumed shards differ")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.appendingPathComponent("shards").path)
            .filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "\(label): temporary files left behind")
    }

    private func system(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
