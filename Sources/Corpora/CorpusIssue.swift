import Foundation

/// A problem found while cataloguing a corpus that did not stop the catalog: a rejected metadata
/// line, or a file the metadata lists but the disk lacks.
///
/// Real corpora have such defects (TAU 2020's older setup files list five recordings that were
/// never published), and the pipeline's rule is that bad input is reported, never fatal.
public struct CorpusIssue: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The file the issue is about: the metadata file for a rejected line, else the folder or file concerned.
    public var path: String
    /// 1-based line number in `path`, when the issue comes from one line.
    public var line: Int?
    /// What is wrong, in words a user can act on.
    public var reason: String

    public init(path: String, line: Int?, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `"fold1_train.csv line 2345: audio/airport-barcelona-1-87-c.wav is listed but missing"`.
    public var message: String {
        let name = (path as NSString).lastPathComponent
        if let line { return "\(name) line \(line): \(reason)" }
        return "\(name): \(reason)"
    }

    public var description: String { message }
}
