import Foundation

/// Answers "does this file exist?" for many files in few folders by listing each folder once.
///
/// TAU's setup files name ~17,000 files in one flat `audio/` folder; one directory listing and a set
/// lookup per row is much cheaper than a `stat` per row on a network file system.
final class DirectoryIndex {
    private var listings: [String: Set<String>] = [:]

    /// Whether a regular entry named like `url`'s last component is in `url`'s parent folder.
    func contains(_ url: URL) -> Bool {
        let parent = url.deletingLastPathComponent().standardizedFileURL.path
        let names: Set<String>
        if let cached = listings[parent] {
            names = cached
        } else {
            names = Set((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
            listings[parent] = names
        }
        return names.contains(url.lastPathComponent)
    }
}
