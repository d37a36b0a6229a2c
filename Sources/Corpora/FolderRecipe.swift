import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain folder of audio files, for data that has no published layout of its own (a benchmark
/// set, a folder of field recordings, a corpus whose recipe does not exist yet).
///
/// Every file libsndfile can read (`.wav`, `.flac`, `.ogg`, `.aif(f)`) below the root is a recording.
/// A file inside a sub-folder takes that first folder's name as its label (`dog/001.wav` → `dog`);
/// a file directly in the root is unlabeled. Ids are `folder/<relative path without extension>`,
/// split is `all`, and the order is sorted by path, so the catalog is deterministic.
public struct FolderRecipe: CorpusRecipe {
    public static let name = "folder"
    /// No published folder: `--data DIR` (or `--path folder=DIR`) is the folder itself.
    public static let folderName = ""
    /// Classes are the sub-folder names found, not a fixed list.
    public static let classes: [String] = []
    static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "aif", "aiff"]

    public init() {}

    public func catalog(root: URL) throws -> CorpusCatalog {
        let base = root.standardizedFileURL
        guard FileSystem.isDirectory(base) else { throw CorpusError.rootMissing(path: base.path) }
        var relativePaths: [String] = []
        var issues: [CorpusIssue] = []
        walk(base, relative: "", into: &relativePaths, issues: &issues)
        relativePaths.sort()
        var labels = Set<String>()
        let recordings = relativePaths.map { relative -> Recording in
            let components = relative.split(separator: "/").map(String.init)
            let label = components.count > 1 ? components[0] : nil
            if let label { labels.insert(label) }
            let stem = (relative as NSString).deletingPathExtension
            return Recording(id: "\(Self.name)/\(stem)", corpus: Self.name, path: base.appendingPathComponent(relative).path,
                             label: label, split: "all", device: nil, city: nil, location: nil, recordTime: nil)
        }
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: issues.sorted { $0.path < $1.path },
                             classes: labels.sorted())
    }

    /// Collects the audio files below `folder` (hidden entries skipped). Sub-folders are entered;
    /// an audio-named entry that is not a regular file (a folder `x.wav`, a FIFO, a device, a link
    /// loop or a dangling link) is an issue, not a silent skip; a link to a regular file is a file
    /// (the folder is the user's own selection, so it may link clips from anywhere); a link to a
    /// folder is reported and not followed, so a link cycle cannot make the walk endless.
    private func walk(_ folder: URL, relative: String, into found: inout [String], issues: inout [CorpusIssue]) {
        guard let listing = FileSystem.listing(of: folder) else {
            issues.append(CorpusIssue(path: folder.path, line: nil, reason: "cannot list this folder; its files were skipped"))
            return
        }
        for name in listing.keys.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            let isAudio = Self.audioExtensions.contains((name as NSString).pathExtension.lowercased())
            switch listing[name]! {
            case .directory where isAudio:
                issues.append(CorpusIssue(path: url.path, line: nil, reason: "is a folder named like an audio file; entered as a folder"))
                walk(url, relative: path, into: &found, issues: &issues)
            case .directory:
                walk(url, relative: path, into: &found, issues: &issues)
            case .regular:
                if isAudio { found.append(path) }
            case .other(let what):
                if isAudio { issues.append(CorpusIssue(path: url.path, line: nil, reason: "is \(what), not an audio file; skipped")) }
            case .symbolicLink:
                var status = stat()
                guard stat(url.path, &status) == 0 else {
                    let what = errno == ELOOP ? "a symbolic link loop" : "a symbolic link to nothing"
                    issues.append(CorpusIssue(path: url.path, line: nil, reason: "is \(what); skipped"))
                    continue
                }
                switch FileSystem.kind(mode: status.st_mode) {
                case .regular:
                    if isAudio { found.append(path) }
                case .directory:
                    issues.append(CorpusIssue(path: url.path, line: nil, reason: "is a symbolic link to a folder; not followed"))
                case .other(let what):
                    if isAudio { issues.append(CorpusIssue(path: url.path, line: nil, reason: "is a symbolic link to \(what), not an audio file; skipped")) }
                case .symbolicLink:
                    break
                }
            }
        }
    }
}
