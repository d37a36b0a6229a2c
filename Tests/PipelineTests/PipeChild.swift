import Foundation
import TestSupport
import XCTest

/// Runs the built `pipe` as a child process through `ProcessRunner` and records how it ended: a
/// crash must show up as `signaled`, not as a non-zero status that a test would take for a clean refusal.
enum PipeChild {
    static var binary: URL { Repository.pipeExecutable }

    /// Skips the test when the executable has not been built (`make test` builds it first).
    static func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is missing: `make test` builds it before running the tests")
        }
    }

    /// Runs `pipe arguments` from the repository folder; with `shell`, runs `/bin/bash -c shell` with
    /// `$PIPE` set to the executable instead (for limits set by the shell before `exec`). A child
    /// still running after `timeout` seconds is killed and counts as signaled: a hang is a failure
    /// too (HDF5 spun forever on one damaged shard before shards were verified).
    static func run(_ arguments: [String], shell: String? = nil, timeout: Double = 120) throws -> ProcessResult {
        guard let shell else { return try ProcessRunner.pipe(arguments, timeout: timeout) }
        var environment = ProcessInfo.processInfo.environment
        environment["PIPE"] = binary.path
        return try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", shell], in: Repository.root,
                                     environment: environment, timeout: timeout)
    }
}
