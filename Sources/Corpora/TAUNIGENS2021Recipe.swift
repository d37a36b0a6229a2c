import Foundation

/// TAU-NIGENS Spatial Sound Events 2021 (DCASE2021 Task 3), datasets.md §6.3: 600 one-minute
/// synthetic recordings, 12 classes, `dev-train` (folds 1–4), `dev-val` (5), `dev-test` (6).
/// Column 3 of the metadata is the event number. See `SELDRecipe` and `SELDLayout` for what is read.
public struct TAUNIGENS2021Recipe: SELDRecipe {
    public static let name = "tau-nigens2021"
    public static let folderName = "TAU-NIGENS-Spatial-Sound-Events-2021"
    /// The baseline's `parameter.py` keys, index order.
    public static let classes = [
        "alarm", "baby", "crash", "dog", "female_scream", "female_speech",
        "footsteps", "knock", "male_scream", "male_speech", "phone", "piano",
    ]
    public static let splitFolders: [(String, DatasetSplit)] = [("dev-train", .train), ("dev-val", .validation), ("dev-test", .test)]

    public let format: SELDFormat

    public init(format: SELDFormat = .foa) { self.format = format }
}
