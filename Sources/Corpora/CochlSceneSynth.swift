import AudioIO
import Foundation

/// A synthetic CochlScene in the published layout, `Train|Val|Test/<Class>/<Class>_userNNNN_<rec>_<NNN>.wav`.
///
/// Plan: `perClass` clips for each of the 13 classes in each split; two clips per recording and per
/// user, and disjoint user ranges per split (the paper keeps a user on one side). No `Data_info.tsv`
/// is written: it belongs to the baseline repository, not the corpus, and its header is unverified.
/// Audio is 44.1 kHz mono 16-bit, like the real files (882 kB per 10 s).
public struct CochlSceneSynth: SyntheticCorpus {
    public typealias Recipe = CochlSceneRecipe

    public static let sampleRate = 44_100
    public static let format = SampleFormat.pcm16
    /// First user number of each split; each split has room for 2,999 users, so splits never share
    /// one and every id keeps its 4 digits.
    static let userBase = ["Train": 1, "Val": 3_001, "Test": 7_001]

    public init() {}

    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SynthWriter.validate(perClass: perClass, durationSeconds: durationSeconds)
        guard (perClass * Recipe.classes.count - 1) / 2 < 2_999 else {
            throw CorpusError.invalidParameter("perClass \(perClass) would need more than 2999 users per split (at most 461)")
        }
        let classes = Recipe.classes
        var clips: [SynthClip] = []
        for (s, split) in Recipe.splits.enumerated() {
            for (k, name) in classes.enumerated() {
                for i in 0..<perClass {
                    let user = (Self.userBase[split] ?? 1) + (k * perClass + i) / 2
                    let recording = 10_000_000 + 1_000_000 * s + 10_000 * k + i / 2
                    let file = "\(name)_user\(Self.pad(user, 4))_\(recording)_\(Self.pad(i % 2, 3)).wav"
                    clips.append(SynthClip(relativePath: "\(split)/\(name)/\(file)", classIndex: k, split: split, labeled: true))
                }
            }
        }
        let folder = try SynthWriter.prepareCorpusFolder(root: root, folderName: Recipe.folderName)
        try SynthWriter.writeClips(clips, in: folder, corpus: Recipe.name, classCount: classes.count, seed: seed,
                                   sampleRate: Self.sampleRate, format: Self.format, durationSeconds: durationSeconds)
        return SynthWriter.summary(corpus: Recipe.name, folder: folder, clips: clips, classes: classes, metadataFiles: [])
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
