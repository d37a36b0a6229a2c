import Foundation

/// STARSS22 (DCASE2022 Task 3), datasets.md §6.4: 121 real recordings of 30 s to 5 min, 13 classes,
/// in `foa_dev/` or `mic_dev/` and `metadata_dev/` under `dev-{train,test}-{sony,tau}/`.
/// Column 3 of the metadata is the source (actor) index. See `SELDRecipe` and `SELDLayout` for what is read.
public struct STARSS22Recipe: SELDRecipe {
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

    public let format: SELDFormat

    public init(format: SELDFormat = .foa) { self.format = format }
}
