import AudioIO
import Foundation

/// A synthetic TAU Urban Acoustic Scenes 2020 Mobile development set in the published layout:
/// `audio/`, `meta.csv` and `evaluation_setup/fold1_{train,evaluate,test}.csv` with the real headers.
///
/// Plan, for each of the 10 scenes: `perClass` clips in `train` and `perClass` in `evaluate`, plus
/// one `unused` clip (device S4–S6, listed in `meta.csv` only, as the official setup leaves those
/// out). Clips go in pairs per location, cities rotate over the 10 development cities, train and
/// evaluate locations never overlap (as in the real setup), train uses devices a, b, c, s1–s3 and
/// evaluate a, b, c, s1–s6. Audio is 44.1 kHz mono 24-bit, like the real set.
public struct TAU2020Synth: SyntheticCorpus {
    public typealias Recipe = TAU2020Recipe

    public static let sampleRate = 44_100
    public static let format = SampleFormat.pcm24
    public static let cities = ["barcelona", "helsinki", "lisbon", "london", "lyon",
                                "milan", "paris", "prague", "stockholm", "vienna"]
    static let trainDevices = ["a", "b", "c", "s1", "s2", "s3"]
    static let evaluateDevices = ["a", "b", "c", "s1", "s2", "s3", "s4", "s5", "s6"]
    static let unusedDevices = ["s4", "s5", "s6"]

    public init() {}

    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SynthWriter.validate(perClass: perClass, durationSeconds: durationSeconds)
        let classes = Recipe.classes
        var clips: [SynthClip] = []
        var meta: [String] = []
        var train: [String] = []
        var evaluate: [String] = []
        for (k, scene) in classes.enumerated() {
            func name(city: String, location: Int, segment: Int, device: String) -> String {
                "audio/\(scene)-\(city)-\(location)-\(segment)-\(device).wav"
            }
            // Location ids are numbered per pair of clips, class by class, so no two scenes or splits share one.
            let pairsPerClass = (perClass + 1) / 2
            for i in 0..<perClass {
                let city = Self.cities[(3 * k + i / 2) % Self.cities.count]
                let location = 1_000 + pairsPerClass * k + i / 2
                let file = name(city: city, location: location, segment: 40_000 + 30_000 * k + i,
                                device: Self.trainDevices[(k + i) % Self.trainDevices.count])
                clips.append(SynthClip(relativePath: file, classIndex: k, split: "train", labeled: true))
                train.append("\(file)\t\(scene)")
                meta.append(metaLine(file))
            }
            for i in 0..<perClass {
                let city = Self.cities[(3 * k + 5 + i / 2) % Self.cities.count]
                let location = 1_000 + pairsPerClass * (classes.count + k) + i / 2
                let file = name(city: city, location: location, segment: 50_000 + 30_000 * k + i,
                                device: Self.evaluateDevices[(k + i) % Self.evaluateDevices.count])
                clips.append(SynthClip(relativePath: file, classIndex: k, split: "evaluate", labeled: true))
                evaluate.append("\(file)\t\(scene)")
                meta.append(metaLine(file))
            }
            // The unused clip is an S4–S6 copy of the first train location, as the real unused files are.
            let file = name(city: Self.cities[(3 * k) % Self.cities.count], location: 1_000 + pairsPerClass * k,
                            segment: 60_000 + 30_000 * k, device: Self.unusedDevices[k % Self.unusedDevices.count])
            clips.append(SynthClip(relativePath: file, classIndex: k, split: TAUSetup.unusedSplit, labeled: true))
            meta.append(metaLine(file))
        }

        let folder = try SynthWriter.prepareCorpusFolder(root: root, folderName: Recipe.folderName)
        try SynthWriter.writeClips(clips, in: folder, corpus: Recipe.name, classCount: classes.count, seed: seed,
                                   sampleRate: Self.sampleRate, format: Self.format, durationSeconds: durationSeconds)
        let metadata = TAUSetup.setupFiles(meta: meta, train: train, evaluate: evaluate)
        for (path, lines) in metadata {
            try SynthWriter.writeText(lines, to: folder.appendingPathComponent(path))
        }
        return SynthWriter.summary(corpus: Recipe.name, folder: folder, clips: clips, classes: classes,
                                   metadataFiles: metadata.map { $0.0 })
    }

    /// The `meta.csv` line of a planned file, derived from its name exactly as the real columns are.
    private func metaLine(_ file: String) -> String {
        guard let parsed = TAU2020FileName(file) else { return file }
        return "\(file)\t\(parsed.scene)\t\(parsed.identifier)\t\(parsed.device)"
    }
}
