import Foundation

/// A corpus in the DCASE SELD layout (`foa_dev/` or `mic_dev/` beside `metadata_dev/`, one folder
/// per split): STARSS22 and TAU-NIGENS 2021 differ only in their names, classes and split folders,
/// so the reading (`SELDLayout`), the frame targets and the `--format` choice live here once.
public protocol SELDRecipe: CorpusRecipe {
    /// The split folders under `foa_dev/` (and `metadata_dev/`) with the split each one is.
    static var splitFolders: [(String, DatasetSplit)] { get }
    /// Which of the two recordings of every clip is read.
    var format: SELDFormat { get }
    init(format: SELDFormat)
}

extension SELDRecipe {
    public static var attributeColumns: [String] { SELDLayout.attributeColumns }
    public static var hasFrameTargets: Bool { true }

    var layout: SELDLayout { SELDLayout(corpus: Self.name, classes: Self.classes, splits: Self.splitFolders, format: format) }

    public func catalog(root: URL) throws -> CorpusCatalog {
        try layout.catalog(folder: try Self.locateCorpusFolder(root) { SELDLayout.hasTree($0) })
    }

    public func datasetSplit(of recording: Recording) -> DatasetSplit { layout.datasetSplit(of: recording) }

    public func reading(format: String) throws -> any CorpusRecipe {
        guard let parsed = SELDFormat(rawValue: format) else {
            throw CorpusError.invalidParameter("--format '\(format)' is not one of foa, mic")
        }
        return Self(format: parsed)
    }
}
