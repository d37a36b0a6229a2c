import AudioIO
import Foundation

/// A synthetic TAU Urban Acoustic Scenes 2022 Mobile development set in the published layout:
/// `audio/`, `meta.csv`, `evaluation_setup/fold1_{train,evaluate,test}.csv` with the real headers,
/// and the DCASE 2023–2025 train subsets `evaluation_setup/split{5,10,25,50,100}.csv`.
///
/// Plan, for each of the 10 scenes: `perClass` 1-s clips in `train` and `perClass` in `evaluate`,
/// plus one `unused` clip (device S4–S6, in `meta.csv` only). Clips come in parallel pairs: device
/// `a` and one other device record the same piece of the same 10-s segment, so the pair shares
/// `segment`, and consecutive pairs are consecutive pieces of that segment (pieces 0…9, then the
/// next segment). Train uses a, b, c, s1–s3 and evaluate a, b, c, s1–s6 (S4–S6 only in test, as
/// published); train and evaluate locations never overlap. The subsets are nested prefixes of the
/// sorted train list (5 % … 100 %, at least one file each). Audio is 44.1 kHz mono 24-bit.
public struct TAU2022Synth: SyntheticCorpus {
    public typealias Recipe = TAU2022Recipe

    public static let sampleRate = 44_100
    public static let format = SampleFormat.pcm24
    public static let defaultDurationSeconds = 1.0
    static let trainPartners = ["b", "c", "s1", "s2", "s3"]
    static let evaluatePartners = ["b", "c", "s1", "s2", "s3", "s4", "s5", "s6"]
    static let unusedDevices = ["s4", "s5", "s6"]

    public init() {}

    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SynthWriter.validate(perClass: perClass, durationSeconds: durationSeconds)
        let classes = Recipe.classes
        let cities = TAU2020Synth.cities
        var clips: [SynthClip] = []
        var meta: [String] = []
        var train: [String] = []
        var evaluate: [String] = []
        for (k, scene) in classes.enumerated() {
            /// Clip `i` of a split: pair `i / 2` (device `a`, then the partner), piece `pair % 10` of
            /// segment `pair / 10`.
            func name(_ i: Int, cityOffset: Int, location: Int, segmentBase: Int, partners: [String]) -> String {
                let pair = i / 2
                let device = i % 2 == 0 ? "a" : partners[(k + pair) % partners.count]
                let city = cities[(3 * k + cityOffset) % cities.count]
                return "audio/\(scene)-\(city)-\(location)-\(segmentBase + pair / 10)-\(pair % 10)-\(device).wav"
            }
            for i in 0..<perClass {
                let file = name(i, cityOffset: 0, location: 1_000 + k, segmentBase: 40_000 + 1_000 * k, partners: Self.trainPartners)
                clips.append(SynthClip(relativePath: file, classIndex: k, split: "train", labeled: true))
                train.append("\(file)\t\(scene)")
                meta.append(metaLine(file))
            }
            for i in 0..<perClass {
                let file = name(i, cityOffset: 5, location: 2_000 + k, segmentBase: 50_000 + 1_000 * k, partners: Self.evaluatePartners)
                clips.append(SynthClip(relativePath: file, classIndex: k, split: "evaluate", labeled: true))
                evaluate.append("\(file)\t\(scene)")
                meta.append(metaLine(file))
            }
            let file = "audio/\(scene)-\(cities[(3 * k) % cities.count])-\(1_000 + k)-\(60_000 + 1_000 * k)-0-"
                + "\(Self.unusedDevices[k % Self.unusedDevices.count]).wav"
            clips.append(SynthClip(relativePath: file, classIndex: k, split: TAUSetup.unusedSplit, labeled: true))
            meta.append(metaLine(file))
        }

        let folder = try SynthWriter.prepareCorpusFolder(root: root, folderName: Recipe.folderName)
        try SynthWriter.writeClips(clips, in: folder, corpus: Recipe.name, classCount: classes.count, seed: seed,
                                   sampleRate: Self.sampleRate, format: Self.format, durationSeconds: durationSeconds)
        let sortedTrain = train.sorted()
        var metadata = TAUSetup.setupFiles(meta: meta, train: sortedTrain, evaluate: evaluate)
        for subset in Recipe.subsets {
            let percent = Int(subset.dropFirst("split".count)) ?? 100
            let count = max(1, sortedTrain.count * percent / 100)
            metadata.append(("evaluation_setup/\(subset).csv", ["filename\tscene_label"] + sortedTrain.prefix(count)))
        }
        for (path, lines) in metadata {
            try SynthWriter.writeText(lines, to: folder.appendingPathComponent(path))
        }
        return SynthWriter.summary(corpus: Recipe.name, folder: folder, clips: clips, classes: classes,
                                   metadataFiles: metadata.map { $0.0 })
    }

    /// The `meta.csv` line of a planned file, derived from its name as the real columns are.
    private func metaLine(_ file: String) -> String {
        guard let parsed = TAU2022FileName(file) else { return file }
        return "\(file)\t\(parsed.scene)\t\(parsed.identifier)\t\(parsed.device)"
    }
}
