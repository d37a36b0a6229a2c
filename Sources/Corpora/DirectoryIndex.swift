import Foundation

/// Answers "what is this entry?" for many files in few folders by listing each folder once.
///
/// TAU's setup files name ~17,000 files in one flat `audio/` folder; one directory listing (with the
/// entry types `readdir` reports) and a dictionary lookup per row is much cheaper than a `stat` per
/// row on a network file system.
final class DirectoryIndex {
    private var listings: [String: [String: FileSystem.EntryKind]] = [:]

    /// The kind of the entry named like `url`'s last component in `url`'s parent folder (a link is
    /// not followed), or nil when there is none.
    func kind(of url: URL) -> FileSystem.EntryKind? {
        let parent = url.deletingLastPathComponent().standardizedFileURL.path
        if listings[parent] == nil {
            listings[parent] = FileSystem.listing(of: URL(fileURLWithPath: parent, isDirectory: true)) ?? [:]
        }
        return listings[parent]?[url.lastPathComponent]
    }
}
