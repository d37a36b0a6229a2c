import Foundation

/// Relative paths between files, so a view can name its parent as "../store/manifest.json" and the
/// pair can be moved or copied together.
enum RelativePath {
    /// The path of `file` relative to `directory` (both made absolute and standardized).
    static func from(_ directory: URL, to file: URL) -> String {
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let target = file.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let ups = [String](repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
