import Foundation

/// Everything a recipe found in one corpus: its usable recordings, what it had to reject, and the
/// corpus's published class list.
public struct CorpusCatalog: Codable, Hashable, Sendable {
    /// The recipe name, e.g. `cas2023`.
    public var corpus: String
    /// Usable recordings, sorted by `id` so that a catalog (and every plan built on it) is the same
    /// whatever order the file system lists files in.
    public var recordings: [Recording]
    /// Rejected metadata lines and missing files, in the order they were found.
    public var issues: [CorpusIssue]
    /// The corpus's class list in its canonical order (the order its own baseline indexes labels in).
    public var classes: [String]

    /// Sorts `recordings` by id.
    public init(corpus: String, recordings: [Recording], issues: [CorpusIssue], classes: [String]) {
        self.corpus = corpus
        self.recordings = recordings.sorted { $0.id < $1.id }
        self.issues = issues
        self.classes = classes
    }
}
