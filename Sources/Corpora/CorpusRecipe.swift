import Foundation

/// Reads one corpus, laid out on disk exactly as its publishers distribute it, into a catalog.
///
/// A recipe never edits or "fixes" the corpus: it reads the real metadata files with their quirks
/// (BOM, CRLF, empty labels, rows for files that were never published) and reports what it could
/// not use as `CorpusIssue`s.
public protocol CorpusRecipe: Sendable {
    /// The short name used in ids, configs and the registry: `tau2020`, `cochlscene`, `cas2023`.
    static var name: String { get }
    /// The top-level folder the corpus unpacks to, as published.
    static var folderName: String { get }
    /// The published class list in the corpus's canonical order.
    static var classes: [String] { get }

    /// Catalogues the corpus at `root`: the corpus folder itself, or a data folder that contains it
    /// under `folderName`.
    ///
    /// Throws `CorpusError` only when the corpus is unusable as a whole (root missing, no metadata
    /// at all); every per-line or per-file problem becomes an issue in the catalog.
    func catalog(root: URL) throws -> CorpusCatalog

    /// The normalised split of one of this corpus's recordings (`DatasetSplit` lists the mapping).
    func datasetSplit(of recording: Recording) -> DatasetSplit

    /// The length every clip of the corpus has, where it has one (TAU 2022: 1 s); `nil` when lengths
    /// vary. A pipeline whose fixed duration is far longer would store mostly padding: refused.
    static var clipSeconds: Double? { get }
    /// The shipped pipeline made for this corpus, named in that refusal (`ds-flexinet`).
    static var pipeline: String? { get }
    /// The keys of `Recording.attributes` this corpus fills, each stored as `/meta/<key>`.
    static var attributeColumns: [String] { get }
    /// Whether recordings carry frame-level annotations (`Recording.annotation`, SELD) over `classes`.
    static var hasFrameTargets: Bool { get }
    /// The recipe reading the corpus's `format` (`foa` / `mic` of the SELD corpora); throws for a
    /// corpus without formats or an unknown one.
    func reading(format: String) throws -> any CorpusRecipe
}

extension CorpusRecipe {
    /// `Self.name`, reachable from an existential `any CorpusRecipe`.
    public var name: String { Self.name }
    /// `Self.folderName`, reachable from an existential.
    public var folderName: String { Self.folderName }
    /// `Self.classes`, reachable from an existential.
    public var classes: [String] { Self.classes }
    public static var clipSeconds: Double? { nil }
    public static var pipeline: String? { nil }
    public static var attributeColumns: [String] { [] }
    /// `Self.attributeColumns`, reachable from an existential.
    public var attributeColumns: [String] { Self.attributeColumns }
    public static var hasFrameTargets: Bool { false }
    /// `Self.hasFrameTargets`, reachable from an existential.
    public var hasFrameTargets: Bool { Self.hasFrameTargets }
    public func reading(format: String) throws -> any CorpusRecipe {
        throw CorpusError.invalidParameter("\(Self.name) has no formats to choose; --format \(format) applies to the SELD corpora")
    }
    /// `Self.clipSeconds`, reachable from an existential.
    public var clipSeconds: Double? { Self.clipSeconds }
    /// `Self.pipeline`, reachable from an existential.
    public var pipeline: String? { Self.pipeline }

    /// The folder that holds the corpus, given either that folder or a data folder containing it.
    ///
    /// `isCorpusFolder` recognises the corpus itself; if `root` is not it but has a child named
    /// `folderName`, the child is tried (twice at most, which also covers CochlScene's zip that
    /// repeats `CochlScene/` once more). If none is recognised, the deepest folder tried is returned,
    /// so the caller's "no metadata" error names the folder that should have held it.
    static func locateCorpusFolder(_ root: URL, isCorpusFolder: (URL) -> Bool) throws -> URL {
        let start = root.standardizedFileURL
        guard FileSystem.isDirectory(start) else { throw CorpusError.rootMissing(path: start.path) }
        var candidate = start
        for _ in 0..<2 where !isCorpusFolder(candidate) {
            let child = candidate.appendingPathComponent(folderName, isDirectory: true)
            guard FileSystem.isDirectory(child) else { break }
            candidate = child
        }
        return candidate
    }
}
