import Foundation

/// What a synthetic-corpus generator wrote.
public struct SynthSummary: Codable, Hashable, Sendable {
    /// The recipe name of the corpus generated.
    public var corpus: String
    /// Absolute path of the corpus folder (`<data root>/<folderName>`).
    public var corpusFolder: String
    /// Number of audio files written.
    public var filesWritten: Int
    /// Audio files per class of their content, labeled or not.
    public var perClass: [String: Int]
    /// Audio files per published split name.
    public var perSplit: [String: Int]
    /// Audio files whose metadata gives no label.
    public var unlabeled: Int
    /// Metadata files written, relative to the corpus folder.
    public var metadataFiles: [String]
}
