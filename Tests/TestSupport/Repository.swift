import Foundation
import XCTest

/// Where the tests find the repository and the workplace's shared/ folder beside it.
public enum Repository {
    /// The repository root: this file is `<root>/Tests/TestSupport/Repository.swift`.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `<root>/<relativePath>`.
    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// `../shared` beside the repository (real metadata files, papers), which a clone outside this
    /// workplace does not have. CI lays a copy of it beside its clone.
    public static let shared: URL = root.appendingPathComponent("../shared").standardizedFileURL

    /// `../shared/<relativePath>`, or a skip that says why when shared/ is absent. Under CI
    /// (`CI` set) a missing shared/ is a failure, not a skip: CI has it, so its tests must run.
    public static func shared(_ relativePath: String) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: shared.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let message = "\(shared.path) is absent (a clone outside the workplace): the tests that read the "
                + "real metadata in shared/ are skipped"
            if ProcessInfo.processInfo.environment["CI"] != nil {
                throw TestSupportError("\(message), but CI must have shared/ beside the clone")
            }
            throw XCTSkip(message)
        }
        return shared.appendingPathComponent(relativePath)
    }

    /// The debug `pipe` executable that `swift build` (and so `make test`) builds.
    public static var pipeExecutable: URL { url(".build/debug/pipe") }
}
