import AudioIO
import Foundation
import Randomness

/// A synthetic CAS 2023 in the published layout: flat `ICME2024_GC_ASC_dev/` and
/// `ICME2024_GC_ASC_eval/` folders of `<filename>.wav`, the APSIPA 2025 metadata (UTF-8 BOM, LF,
/// `filename,location,record_time,scene_label`) and the ICME 2024 files (CRLF, `filename,scene_label`).
///
/// Plan, for each of the 10 classes: `perClass` labeled and `perClass` unlabeled development clips,
/// and `perClass` unlabeled evaluation clips (unlabeled clips still hold their class's signal, so
/// pseudo-labelling can be tested). File names follow the real pattern (32 hex digits, 1–2 digits,
/// `_1`/`_2`); cities include `Xi'an`, and evaluation has cities that development lacks; record
/// times fall in the real span and are shared by groups of three clips, as long source recordings are.
/// Audio is 44.1 kHz mono 16-bit: the real files' native format is unverified (datasets.md §4.5),
/// 44.1 kHz is what the baseline loads at.
public struct CAS2023Synth: SyntheticCorpus {
    public typealias Recipe = CAS2023Recipe

    public static let sampleRate = 44_100
    public static let format = SampleFormat.pcm16
    public static let devCities = ["Xi'an", "Luoyang", "Hefei", "Shanghai", "Chongqing", "Jinan", "Shangrao", "Liupanshui"]
    public static let evalCities = ["Xi'an", "Luoyang", "Chongqing", "Shenyang", "Tianjin", "Nanchang",
                                    "Guangzhou", "Changchun", "Shangrao", "Taiyuan", "Liupanshui", "Shanghai"]
    /// 2023-04-21 12:12:02 UTC, the earliest real record time.
    static let firstRecordTime: Int64 = 1_682_079_122
    /// The real record times span about 129 days; synthetic ones stay inside.
    static let recordDays: Int64 = 120

    /// One planned metadata row.
    private struct Row {
        var fileName: String
        var city: String
        var time: Int64
        var label: String
    }

    public init() {}

    public func generate(root: URL, perClass: Int, seed: UInt64, durationSeconds: Double) throws -> SynthSummary {
        try SynthWriter.validate(perClass: perClass, durationSeconds: durationSeconds)
        let classes = Recipe.classes
        var clips: [SynthClip] = []
        var dev: [Row] = []
        var eval: [Row] = []
        for (k, name) in classes.enumerated() {
            for i in 0..<(2 * perClass) {
                let labeled = i < perClass
                let row = makeRow(seed: seed, split: "dev", classIndex: k, index: i, cities: Self.devCities,
                                  label: labeled ? name : "")
                dev.append(row)
                clips.append(SynthClip(relativePath: "ICME2024_GC_ASC_dev/\(row.fileName).wav", classIndex: k,
                                       split: "dev", labeled: labeled))
            }
            for i in 0..<perClass {
                let row = makeRow(seed: seed, split: "eval", classIndex: k, index: i, cities: Self.evalCities, label: "")
                eval.append(row)
                clips.append(SynthClip(relativePath: "ICME2024_GC_ASC_eval/\(row.fileName).wav", classIndex: k,
                                       split: "eval", labeled: false))
            }
        }
        // Sorting by the random-looking name interleaves classes, labeled and unlabeled rows, as in the real files.
        dev.sort { $0.fileName < $1.fileName }
        eval.sort { $0.fileName < $1.fileName }

        let folder = try SynthWriter.prepareCorpusFolder(root: root, folderName: Recipe.folderName)
        try SynthWriter.writeClips(clips, in: folder, corpus: Recipe.name, classCount: classes.count, seed: seed,
                                   sampleRate: Self.sampleRate, format: Self.format, durationSeconds: durationSeconds)
        func apsipa(_ rows: [Row]) -> [String] {
            ["filename,location,record_time,scene_label"]
                + rows.map { "\($0.fileName),\($0.city),\(RecordTime.format($0.time)),\($0.label)" }
        }
        func icme(_ rows: [Row]) -> [String] {
            ["filename,scene_label"] + rows.map { "\($0.fileName),\($0.label)" }
        }
        let files = ["APSIPA2025_GC_ASC_dev_metadata.csv", "APSIPA2025_GC_ASC_eval_metadata.csv",
                     "ICME2024_ASC_dev_label.csv", "ICME2024_ASC_eval.csv"]
        try SynthWriter.writeText(apsipa(dev), to: folder.appendingPathComponent(files[0]), byteOrderMark: true)
        try SynthWriter.writeText(apsipa(eval), to: folder.appendingPathComponent(files[1]), byteOrderMark: true)
        try SynthWriter.writeText(icme(dev), to: folder.appendingPathComponent(files[2]), lineEnding: "\r\n")
        try SynthWriter.writeText(icme(eval), to: folder.appendingPathComponent(files[3]), lineEnding: "\r\n")
        return SynthWriter.summary(corpus: Recipe.name, folder: folder, clips: clips, classes: classes, metadataFiles: files)
    }

    /// A row whose name, city and time depend only on (seed, split, class, index).
    private func makeRow(seed: UInt64, split: String, classIndex k: Int, index i: Int, cities: [String], label: String) -> Row {
        var rng = SplitMix64(seed: seed, key: "\(Recipe.name)/name/\(split)/\(k)/\(i)")
        let hex = Self.hex(rng.next()) + Self.hex(rng.next())
        let fileName = "\(hex)\(rng.nextInt(below: 100))_\(1 + rng.nextInt(below: 2))"
        // Three clips share a source recording: same city and time.
        let group = Int64(i / 3)
        let day = (Int64(k) * 11 + group * 7 + (split == "eval" ? 3 : 0)) % Self.recordDays
        let minute = (Int64(k) * 37 + group * 53) % 600
        let city = cities[(3 * k + i / 3) % cities.count]
        return Row(fileName: fileName, city: city, time: Self.firstRecordTime + day * 86_400 + minute * 60, label: label)
    }

    /// 16 lowercase hex digits.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
