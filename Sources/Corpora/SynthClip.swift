import Foundation

/// One audio file a generator plans to write.
struct SynthClip: Hashable, Sendable {
    /// Path relative to the corpus folder, e.g. `audio/bus-lyon-1000-40001-b.wav`.
    var relativePath: String
    /// Index of the class whose signal the clip holds (in the recipe's class order).
    var classIndex: Int
    /// The published split the clip belongs to.
    var split: String
    /// Whether the metadata gives its label.
    var labeled: Bool
}
