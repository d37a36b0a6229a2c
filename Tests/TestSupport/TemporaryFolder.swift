import Foundation
import XCTest

/// A fresh folder under the system temporary directory, for one test or one test class.
public struct TemporaryFolder {
    public let url: URL

    /// Creates `<tmp>/<label>-<uuid>/`; `remove()` deletes it.
    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A folder removed when `test` ends (its teardown), pass or fail.
    public static func forTest(_ test: XCTestCase, label: String? = nil) throws -> URL {
        let folder = try TemporaryFolder(label ?? String(describing: type(of: test)))
        test.addTeardownBlock { folder.remove() }
        return folder.url
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    public func url(_ relativePath: String) -> URL { url.appendingPathComponent(relativePath) }

    /// Writes `text` (UTF-8, exactly as given) to `relativePath`, creating folders.
    @discardableResult
    public func write(_ text: String, to relativePath: String) throws -> URL {
        try write(Data(text.utf8), to: relativePath)
    }

    @discardableResult
    public func write(_ data: Data, to relativePath: String) throws -> URL {
        try Self.write(in: url, data, to: relativePath)
    }

    /// Writes `text` to `folder/relativePath`, creating folders (for a folder from `forTest`).
    @discardableResult
    public static func write(in folder: URL, _ text: String, to relativePath: String) throws -> URL {
        try write(in: folder, Data(text.utf8), to: relativePath)
    }

    @discardableResult
    public static func write(in folder: URL, _ data: Data, to relativePath: String) throws -> URL {
        let file = folder.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }
}
