import Foundation

/// The few file-system questions the recipes ask, answered without following the caller's working
/// directory or throwing for the ordinary "not there" case.
enum FileSystem {
    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    static func isFile(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && !isDir.boolValue
    }

    /// Names of the entries of `directory` (no recursion, hidden entries skipped), sorted so every
    /// walk is deterministic; empty if the folder cannot be listed.
    static func entries(of directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Whether `name` ends in `.wav`, in any letter case (some copies of corpora upper-case it).
    static func isWAV(_ name: String) -> Bool {
        name.lowercased().hasSuffix(".wav")
    }

    /// `name` without its last extension.
    static func stem(_ name: String) -> String {
        ((name as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
