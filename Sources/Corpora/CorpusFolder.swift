import Foundation

/// The folder a metadata file's paths are relative to, and the rule that keeps them inside it.
///
/// A metadata line is data: `../../../outside/x.wav` would ingest a file from anywhere, labelled;
/// `../ICME2024_GC_ASC_eval/<stem>` in CAS's dev list would store an eval clip a second time, in the
/// dev split, with a label; `audio/../audio/X.wav` is a second spelling of a listed file. So every
/// path is normalised (`.` and `..` removed, which makes one file one spelling) and resolved —
/// its folders and, for a link, the file itself, symbolic links included — and must stay inside
/// the folder; what does not is rejected with the reason. The folder itself may be reached through
/// a link: its real path is the bound. So may the folders of the corpus's published layout (TAU's
/// `audio/`, CochlScene's split folders), which are often links to a larger disk: their real paths
/// are bounds too.
final class CorpusFolder {
    /// The folder, as given.
    let url: URL
    /// The real paths (links resolved) a listed file may be in: the folder's and its published folders'.
    let bounds: [String]
    private let index = DirectoryIndex()
    private var realParents: [String: String?] = [:]

    init(_ url: URL, publishedFolders: [URL] = []) {
        self.url = url.standardizedFileURL
        bounds = ([self.url] + publishedFolders).compactMap(FileSystem.resolvedPath)
    }

    /// Whether a real path is inside one of the bounds (or, with `orEqual`, is one).
    private func isInBounds(_ path: String, orEqual: Bool) -> Bool {
        bounds.contains { Self.isInside(path, $0) || (orEqual && path == $0) }
    }

    /// What a listed path turned out to be.
    enum Resolution: Equatable {
        /// A regular file (or a link to one) inside the folder: its one spelling, relative to the
        /// folder, and its path as the corpus lays it out.
        case file(relative: String, url: URL)
        /// Nothing is there; `relative` is the normalised spelling.
        case missing(relative: String)
        /// Something is there, but it cannot be a recording: the reason.
        case rejected(String)
    }

    /// Resolves `listed`, a path relative to the folder as a metadata file writes it.
    func resolve(_ listed: String) -> Resolution {
        guard !listed.hasPrefix("/") else { return .rejected("\(listed) is an absolute path; metadata paths are relative to the corpus folder") }
        guard let relative = Self.normalized(listed) else {
            return .rejected("\(listed) points outside the corpus folder \(url.path)")
        }
        guard !relative.isEmpty else { return .rejected("'\(listed)' names the corpus folder itself, not a file") }
        let file = url.appendingPathComponent(relative)
        guard let kind = index.kind(of: file) else {
            // A missing file is missing only if its folder is inside; `a/../..`-free paths can still
            // leave through a linked folder.
            if let reason = parentEscape(file, listed: listed) { return .rejected(reason) }
            return .missing(relative: relative)
        }
        if let reason = parentEscape(file, listed: listed) { return .rejected(reason) }
        switch kind {
        case .regular:
            return .file(relative: relative, url: file)
        case .directory:
            return .rejected("\(listed) is a folder, not an audio file")
        case .other(let what):
            return .rejected("\(listed) is \(what), not an audio file")
        case .symbolicLink:
            guard let target = FileSystem.resolvedPath(file) else {
                return .rejected("\(listed) is a symbolic link that does not resolve (a loop, or to nothing)")
            }
            guard isInBounds(target, orEqual: false) else {
                return .rejected("\(listed) is a symbolic link to \(target), outside the corpus folder \(url.path)")
            }
            guard let targetKind = FileSystem.entryKind(URL(fileURLWithPath: target)), targetKind == .regular else {
                return .rejected("\(listed) is a symbolic link to \(target), which is not a regular file")
            }
            return .file(relative: relative, url: file)
        }
    }

    /// The reason `file`'s folder resolves outside the corpus folder, if it does.
    private func parentEscape(_ file: URL, listed: String) -> String? {
        let parent = file.deletingLastPathComponent().path
        if realParents[parent] == nil { realParents[parent] = .some(FileSystem.resolvedPath(URL(fileURLWithPath: parent))) }
        guard let realParent = realParents[parent] ?? nil else { return nil }  // no such folder: the file is missing
        guard isInBounds(realParent, orEqual: true) else {
            return "\(listed) is in \(realParent), outside the corpus folder \(url.path) (through a symbolic link)"
        }
        return nil
    }

    /// `path` with `.` and empty components removed and `..` applied; nil when `..` climbs above the start.
    static func normalized(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard parts.popLast() != nil else { return nil }
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// Whether `path` is strictly below `folder` (both real, absolute paths).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix)
    }
}
