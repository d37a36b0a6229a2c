import Foundation

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
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                        options: [.skipsHiddenFiles])
        while let url = enumerator?.nextObject() as? URL {
            guard Self.audioExtensions.contains(url.pathExtension.lowercased()),
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            relativePaths.append(String(url.standardizedFileURL.path.dropFirst(base.path.count + 1)))
        }
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
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: [], classes: labels.sorted())
    }
}
