import Foundation

/// One non-blank line of a delimited metadata file, split into fields.
struct MetadataLine: Equatable, Sendable {
    /// 1-based line number in the file, counting every line (blank ones and the header included),
    /// so that an issue points at the line a user sees in an editor.
    var number: Int
    var fields: [String]
}
