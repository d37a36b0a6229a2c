import Foundation

/// Writes a small synthetic corpus in the exact published layout of a real one, metadata files
/// included, so that the recipes, the pipeline and the trainers can be tested end to end without
/// the real audio (which may not be redistributed or downloaded here).
///
/// The same seed gives byte-identical files: every clip is rendered from a generator seeded by
/// (seed, corpus, file path), so files do not depend on the order they are written in.
public protocol SyntheticCorpus: Sendable {
    /// The recipe that reads what this generator writes.
    associatedtype Recipe: CorpusRecipe

    /// Writes the corpus into `root/<Recipe.folderName>`, which must not exist yet or be empty.
    ///
    /// - Parameters:
    ///   - root: the data folder; it is created if needed.
    ///   - perClass: clips per class and split (each generator documents its exact plan).
    ///   - seed: the run seed.
    ///   - durationSeconds: clip length; the real corpora use 10 s, tests use less.
    func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary

    /// The clip length of the real corpus, used when none is asked for (TAU 2022: 1 s).
    static var defaultDurationSeconds: Double { get }
}

extension SyntheticCorpus {
    /// 10 s, the length of most real corpora's clips.
    public static var defaultDurationSeconds: Double { 10 }
    /// `Self.defaultDurationSeconds`, reachable from an existential.
    public var defaultDurationSeconds: Double { Self.defaultDurationSeconds }

    /// Writes clips of the real corpus's length.
    public func generate(root: URL, perClass: Int, seed: UInt64) throws -> SynthSummary {
        try generate(root: root, perClass: perClass, seed: seed, durationSeconds: Self.defaultDurationSeconds)
    }
}
