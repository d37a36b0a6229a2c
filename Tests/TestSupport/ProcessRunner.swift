import Foundation

/// What a finished process printed and how it exited.
public struct ProcessResult {
    public let status: Int32
    public let out: String
    public let err: String
    /// True when the process was killed by a signal (a crash: SIGSEGV, SIGILL from a Swift trap),
    /// in which case `status` is the signal's number, not an exit status.
    public var signaled: Bool = false
}

/// Runs an executable to completion, capturing standard output and error separately.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` in `folder` (the current folder when nil); `environment`
    /// replaces the inherited environment when given. A child still running after `timeout` seconds
    /// is killed (SIGKILL) and so ends `signaled`: a hang is a failure too, never a test that waits forever.
    public static func run(_ executable: URL, _ arguments: [String], in folder: URL? = nil,
                           environment: [String: String]? = nil, timeout: Double? = nil) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSupportError("\(executable.path) is missing or not executable (`make test` builds `pipe` first)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently: a child that fills one while we wait on the other would block.
        let errData = ReadResult()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = ReadResult()
        group.enter()
        DispatchQueue.global().async {
            outData.data = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        group.wait()
        process.waitUntilExit()
        // Close the read ends here, on this thread. Left to deallocation, a FileHandle closes its
        // descriptor whenever and wherever its last reference goes (a dispatch thread), possibly after
        // the number was reused by the test's own code, e.g. an in-process ingest's open WAV file
        // (swiftlang/swift#57827: rare "bad file descriptor" errors after quick child processes).
        try? out.fileHandleForReading.close()
        try? err.fileHandleForReading.close()
        return ProcessResult(status: process.terminationStatus, out: String(decoding: outData.data, as: UTF8.self),
                             err: String(decoding: errData.data, as: UTF8.self),
                             signaled: process.terminationReason == .uncaughtSignal)
    }

    /// What a background reader read; written once before `group.leave()`, read after `wait()`.
    private final class ReadResult: @unchecked Sendable {
        var data = Data()
    }

    /// Runs the repository's debug `pipe`.
    public static func pipe(_ arguments: [String], in folder: URL? = nil,
                            environment: [String: String]? = nil, timeout: Double? = nil) throws -> ProcessResult {
        try run(Repository.pipeExecutable, arguments, in: folder ?? Repository.root, environment: environment,
                timeout: timeout)
    }
}
