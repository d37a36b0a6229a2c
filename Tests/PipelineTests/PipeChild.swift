import Foundation
import TestSupport
import XCTest

/// Runs the built `pipe` as a child process and records how it ended: a crash must show up as a
/// signal, not as a non-zero status that a test would take for a clean refusal.
struct PipeChild {
    struct Ending {
        var status: Int32
        /// True when the child was killed by a signal (`status` is then the signal number).
        var signalled: Bool
        var out: String
        var err: String
    }

    static var binary: URL { Repository.url(".build/debug/pipe") }

    /// Skips the test when the executable has not been built (`make test` builds it first).
    static func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is missing: `make test` builds it before running the tests")
        }
    }

    /// Runs `pipe arguments` from the repository folder; with `shell`, runs `/bin/bash -c shell` with
    /// `$PIPE` set to the executable instead (for limits set by the shell before `exec`). A child
    /// still running after `timeout` seconds is killed and counts as signalled: a hang is a failure
    /// too (HDF5 spun forever on one damaged shard before shards were verified).
    static func run(_ arguments: [String], shell: String? = nil, timeout: Double = 120) throws -> Ending {
        let process = Process()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", shell]
            var environment = ProcessInfo.processInfo.environment
            environment["PIPE"] = binary.path
            process.environment = environment
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = Repository.root
        // Files, not pipes: a chatty child can never block on a full pipe nobody reads yet.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Ending(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      out: try String(contentsOf: outURL, encoding: .utf8),
                      err: try String(contentsOf: errURL, encoding: .utf8))
    }
}
