import AudioIO
import Foundation
import Randomness

/// The synthetic recordings of a SELD corpus in its published layout: `foa_dev/`, `mic_dev/` and
/// `metadata_dev/` with one CSV per recording (no header, `frame,class,source,azimuth,elevation`).
///
/// Plan: `perClass` recordings per split folder, numbered `mix001…` in the folder's fold and room,
/// then `perClass` evaluation recordings `mix001…` (see `eval`).
/// Recording `g` (counted over the whole corpus) has two events at known directions: class `g % C`
/// from `eventDirections(g).0` over the first half, and class `(g + 1) % C` from `.1` over the middle
/// half, so they overlap in the second quarter. Each event is its class's `SceneSignal`, active only
/// in its label frames, encoded into FOA as a plane wave, W Y Z X (§6.2: W = s, Y = s sin φ cos θ,
/// Z = s sin θ, X = s cos φ cos θ). The MIC tree is an approximation (each capsule a cardioid aimed
/// at its published direction), not the measured array response: it is there to test the layout.
/// Audio is 24 kHz, 4 channels, 16-bit.
struct SELDSynth: Sendable {
    static let sampleRate = 24_000
    static let format = SampleFormat.pcm16
    /// Published capsule directions (azimuth, elevation) of M1…M4, degrees.
    static let capsules: [(Double, Double)] = [(45, 35), (-45, -35), (135, -35), (-135, 35)]
    /// Each source's gain, so two overlapping sources stay below full scale in W.
    static let sourceGain: Float = 0.45

    var corpus: String
    var folderName: String
    var classes: [String]
    /// Split folder → (fold, room) of its recordings.
    var folders: [(split: String, fold: Int, room: Int)]
    /// The evaluation set: `perClass` recordings `mix<NNN>` in `<format>_eval/` (or its sub-folder
    /// `folder`), with their CSVs in `metadata_eval/` (flat) when `labeled`.
    var eval: (folder: String?, labeled: Bool)?

    /// The directions (azimuth, elevation) of recording `g`'s two events.
    static func eventDirections(_ g: Int) -> ((Int, Int), (Int, Int)) {
        let azimuth = -150 + 60 * (g % 6), elevation = [-20, 0, 20][g % 3]
        let second = azimuth + 90 > 180 ? azimuth + 90 - 360 : azimuth + 90
        return ((azimuth, elevation), (second, 10))
    }

    /// The events of recording `g` with `frames` label frames.
    func events(_ g: Int, frames: Int) -> [SELDEvent] {
        let (a, b) = Self.eventDirections(g)
        let classA = g % classes.count, classB = (g + 1) % classes.count
        var events: [SELDEvent] = []
        for f in 0..<frames {
            if f < max(1, frames / 2) { events.append(SELDEvent(frame: f, classIndex: classA, source: 0, azimuth: a.0, elevation: a.1)) }
            if f >= frames / 4, f < max(frames / 4 + 1, 3 * frames / 4) {
                events.append(SELDEvent(frame: f, classIndex: classB, source: 1, azimuth: b.0, elevation: b.1))
            }
        }
        return events
    }

    func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SynthWriter.validate(perClass: perClass, durationSeconds: durationSeconds)
        let folder = try SynthWriter.prepareCorpusFolder(root: root, folderName: folderName)
        let samples = max(1, Int((durationSeconds * Double(Self.sampleRate)).rounded()))
        let frames = max(1, SELDEvent.labelFrames(sampleCount: samples, sampleRate: Self.sampleRate))
        let hop = Int((SELDEvent.labelHopSeconds * Double(Self.sampleRate)).rounded())
        var clips: [SynthClip] = []
        var metadataFiles: [String] = []
        var g = 0
        // (split, stem, audio folder under the tree, CSV path or nil) of every recording, dev then eval.
        var plan: [(split: String, stem: String, folder: String, csv: String?)] = []
        for (split, fold, room) in folders {
            for mix in 1...perClass {
                let stem = "fold\(fold)_room\(room)_mix" + String(String(1000 + mix).suffix(3))
                plan.append((split, stem, "dev/\(split)", "\(SELDLayout.metadataFolder)/\(split)/\(stem).csv"))
            }
        }
        if let eval {
            for mix in 1...perClass {
                let stem = "mix" + String(String(1000 + mix).suffix(3))
                plan.append((eval.folder ?? SELDLayout.evalSplit, stem, "eval" + (eval.folder.map { "/\($0)" } ?? ""),
                             eval.labeled ? "\(SELDLayout.evalMetadataFolder)/\(stem).csv" : nil))
            }
        }
        for (split, stem, audioFolder, csv) in plan {
            let events = self.events(g, frames: frames)
            var rng = SplitMix64(seed: seed, key: "\(corpus)/\(split)/\(stem)")
            var foa = [[Float]](repeating: [Float](repeating: 0, count: samples), count: 4)
            var mic = foa
            for classIndex in Set(events.map(\.classIndex)).sorted() {
                let signal = SceneSignal(classIndex: classIndex, classCount: classes.count)
                    .render(sampleRate: Self.sampleRate, frameCount: samples, rng: &rng)
                let own = events.filter { $0.classIndex == classIndex }
                let active = Dictionary(own.map { ($0.frame, $0) }, uniquingKeysWith: { first, _ in first })
                for t in 0..<samples {
                    guard let event = active[min(t / hop, frames - 1)] else { continue }
                    let s = Self.sourceGain * signal[t]
                    let v = event.unitVector
                    foa[0][t] += s
                    foa[1][t] += s * v.y
                    foa[2][t] += s * v.z
                    foa[3][t] += s * v.x
                    for (m, capsule) in Self.capsules.enumerated() {
                        let ca = capsule.0 * .pi / 180, ce = capsule.1 * .pi / 180
                        let cosine = Float(cos(ca) * cos(ce)) * v.x + Float(sin(ca) * cos(ce)) * v.y + Float(sin(ce)) * v.z
                        mic[m][t] += s * 0.5 * (1 + cosine)
                    }
                }
            }
            // `dev/<split>` → foa_dev/<split>/, `eval[/<folder>]` → foa_eval[/<folder>]/.
            let parts = audioFolder.split(separator: "/", maxSplits: 1).map(String.init)
            for (format, channels) in [("foa", foa), ("mic", mic)] {
                let tree = "\(format)_\(parts[0])" + (parts.count > 1 ? "/\(parts[1])" : "")
                let url = folder.appendingPathComponent("\(tree)/\(stem).wav")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try AudioFileWriter.write(AudioBuffer(sampleRate: Self.sampleRate, channels: channels), to: url, format: Self.format)
                if format == "foa" {
                    clips.append(SynthClip(relativePath: "\(tree)/\(stem).wav", classIndex: g % classes.count,
                                           split: split, labeled: csv != nil))
                }
            }
            if let csv {
                try SynthWriter.writeText(events.map { "\($0.frame),\($0.classIndex),\($0.source),\($0.azimuth),\($0.elevation)" },
                                          to: folder.appendingPathComponent(csv))
                metadataFiles.append(csv)
            }
            g += 1
        }
        return SynthWriter.summary(corpus: corpus, folder: folder, clips: clips, classes: classes, metadataFiles: metadataFiles)
    }
}

/// `pipe synth starss22`: the STARSS22 layout, fold 3 train / fold 4 test in the published rooms, and
/// an evaluation set `foa_eval/mix<NNN>.wav` without labels (its published layout is UNVERIFIED).
public struct STARSS22Synth: SyntheticCorpus {
    public typealias Recipe = STARSS22Recipe
    public static let defaultDurationSeconds = 30.0
    public init() {}
    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SELDSynth(corpus: Recipe.name, folderName: Recipe.folderName, classes: Recipe.classes, folders: [
            ("dev-train-sony", 3, 21), ("dev-train-tau", 3, 4), ("dev-test-sony", 4, 23), ("dev-test-tau", 4, 2),
        ], eval: (nil, false)).generate(root: root, perClass: perClass, seed: seed, durationSeconds: durationSeconds)
    }
}

/// `pipe synth tau-nigens2021`: folds 1 (train), 5 (val), 6 (test), and the evaluation set as
/// soundata indexes it: `foa_eval/eval-test/mix<NNN>.wav` with `metadata_eval/mix<NNN>.csv`.
public struct TAUNIGENS2021Synth: SyntheticCorpus {
    public typealias Recipe = TAUNIGENS2021Recipe
    public static let defaultDurationSeconds = 60.0
    public init() {}
    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SELDSynth(corpus: Recipe.name, folderName: Recipe.folderName, classes: Recipe.classes, folders: [
            ("dev-train", 1, 1), ("dev-val", 5, 1), ("dev-test", 6, 1),
        ], eval: ("eval-test", true)).generate(root: root, perClass: perClass, seed: seed, durationSeconds: durationSeconds)
    }
}
