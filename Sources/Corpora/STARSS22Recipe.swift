import Foundation

/// STARSS22 (DCASE2022 Task 3), datasets.md §6.4: 121 real recordings of 30 s to 5 min, 13 classes,
/// in `foa_dev/` or `mic_dev/` and `metadata_dev/` under `dev-{train,test}-{sony,tau}/`.
/// Column 3 of the metadata is the source (actor) index. See `SELDLayout` for what is read.
public struct STARSS22Recipe: CorpusRecipe {
    public static let name = "starss22"
    public static let folderName = "STARSS22"
    /// The 13 classes, exact strings (README), index order.
    public static let classes = [
        "Female speech, woman speaking", "Male speech, man speaking", "Clapping", "Telephone", "Laughter",
        "Domestic sounds", "Walk, footsteps", "Door, open or close", "Music", "Musical instrument",
        "Water tap, faucet", "Bell", "Knock",
    ]
    public static let splitFolders: [(String, DatasetSplit)] = [
        ("dev-train-sony", .train), ("dev-train-tau", .train), ("dev-test-sony", .test), ("dev-test-tau", .test),
    ]
    public static let attributeColumns = SELDLayout.attributeColumns
    public static let hasFrameTargets = true

    public let format: SELDFormat

    public init(format: SELDFormat = .foa) { self.format = format }

    var layout: SELDLayout { SELDLayout(corpus: Self.name, classes: Self.classes, splits: Self.splitFolders, format: format) }

    public func catalog(root: URL) throws -> CorpusCatalog {
        try layout.catalog(folder: try Self.locateCorpusFolder(root) { SELDLayout.hasTree($0) })
    }

    public func datasetSplit(of recording: Recording) -> DatasetSplit { layout.datasetSplit(of: recording) }

    public func reading(format: String) throws -> any CorpusRecipe {
        guard let parsed = SELDFormat(rawValue: format) else {
            throw CorpusError.invalidParameter("--format '\(format)' is not one of foa, mic")
        }
        return STARSS22Recipe(format: parsed)
    }
}
