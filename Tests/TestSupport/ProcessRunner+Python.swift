import Foundation
import XCTest

extension ProcessRunner {
    /// Debian's python3, which has numpy and h5py (python3-h5py); the pyenv one on PATH may not.
    public static let debianPython = URL(fileURLWithPath: "/usr/bin/python3")

    /// Runs `script` with Debian's python3 and the repository's reader (`Sources/python`) on its
    /// path; skips without /usr/bin/python3. Returns stdout; a failing script fails the test at
    /// the caller's line with its stderr.
    public static func readerPython(_ script: String, arguments: [String], file: StaticString = #filePath,
                                    line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: debianPython.path) else { throw XCTSkip("no /usr/bin/python3") }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = Repository.url("Sources/python").path
        let result = try run(debianPython, ["-c", script] + arguments, environment: environment)
        XCTAssertEqual(result.status, 0, result.err, file: file, line: line)
        return result.out
    }
}
