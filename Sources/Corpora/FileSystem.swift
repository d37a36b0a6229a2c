import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few file-system questions the recipes ask, answered without following the caller's working
/// directory or throwing for the ordinary "not there" case.
enum FileSystem {
    /// What a directory entry is, without following a symbolic link (`lstat`).
    enum EntryKind: Equatable, Sendable {
        case regular, directory, symbolicLink
        /// A FIFO, device or socket, in words for an issue.
        case other(String)
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The entry at `url` itself (a link is not followed), or nil when there is none.
    static func entryKind(_ url: URL) -> EntryKind? {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return nil }
        return kind(mode: status.st_mode)
    }

    static func kind(mode: mode_t) -> EntryKind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .other("a FIFO (named pipe)")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        case S_IFSOCK: return .other("a socket")
        default: return .other("not a regular file")
        }
    }

    /// The absolute path with every symbolic link and `..` resolved (`realpath`), or nil when it
    /// does not resolve (missing, or a link loop).
    static func resolvedPath(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether a metadata file is there to be read: false when nothing is at `url`; throws when
    /// something is there that cannot be read as one (a folder, a FIFO, a link loop or a dangling
    /// link), because treating it as absent would quietly catalogue a different corpus.
    static func isMetadataFile(_ url: URL) throws -> Bool {
        guard exists(url) else { return false }
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            let reason = errno == ELOOP ? "is a symbolic link loop" : "is a symbolic link to nothing"
            throw CorpusError.unreadable(path: url.path, reason: reason)
        }
        switch self.kind(mode: status.st_mode) {
        case .regular: return true
        case .directory: throw CorpusError.unreadable(path: url.path, reason: "is a folder, not a metadata file")
        case .other(let what): throw CorpusError.unreadable(path: url.path, reason: "is \(what), not a metadata file")
        case .symbolicLink: throw CorpusError.unreadable(path: url.path, reason: "is a symbolic link that cannot be followed")
        }
    }

    /// Whether anything (of any kind, a dangling link included) is at `url`.
    static func exists(_ url: URL) -> Bool { entryKind(url) != nil }

    /// Names of the entries of `directory` (no recursion, hidden entries skipped), sorted so every
    /// walk is deterministic; empty if the folder cannot be listed.
    static func entries(of directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every entry of `directory` with its kind, from one `readdir` pass (a `stat` only where the
    /// file system does not report the type); nil if the folder cannot be listed.
    static func listing(of directory: URL) -> [String: EntryKind]? {
        guard let dir = opendir(directory.path) else { return nil }
        defer { closedir(dir) }
        var found: [String: EntryKind] = [:]
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): found[name] = .regular
            case Int32(DT_DIR): found[name] = .directory
            case Int32(DT_LNK): found[name] = .symbolicLink
            default: found[name] = entryKind(directory.appendingPathComponent(name)) ?? .other("not a regular file")
            }
        }
        return found
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
