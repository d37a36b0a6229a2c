import AudioIO
import Corpora
import Features
import Foundation
import Pipeline
import Randomness
import Store
import TestSupport
import XCTest

/// Every pipeline in pipelines/ runs end to end on a synthetic corpus and yields the shapes its
/// paper describes (with shorter clips where the pipeline allows, to keep the suite fast).
final class ShippedPipelinesTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = try TemporaryFolder.forTest(self, label: "pipelines")
    }

    func load(_ name: String) throws -> PipelineConfig {
        try PipelineConfig.load(Repository.url("pipelines/\(name).yaml"))
    }

    func run(_ config: PipelineConfig, folder: URL? = nil, store: String? = nil) throws -> (Ingest.Result, StoreReader) {
        let out = root.appendingPathComponent(store ?? "store-\(config.name)")
        let request = Ingest.Request(config: config, dataRoot: root.appendingPathComponent("data"),
                                     paths: folder.map { ["folder": $0] } ?? [:], output: out, threads: 2, progress: .silent)
        let result = try Ingest.run(request)
        XCTAssertTrue(result.rejected.isEmpty, "\(config.name): \(result.rejected)")
        XCTAssertGreaterThan(result.rows, 0)
        return (result, try StoreReader(manifest: result.manifestURL))
    }

    func shape(_ reader: StoreReader, _ column: String) -> [Int]? {
        reader.columns.first { $0.name == "features/\(column)" }?.rowShape
    }

    /// A folder of class sub-folders with `perClass` clips of `channels` channels at `rate`.
    func makeFolder(_ name: String, rate: Int, channels: Int, seconds: Double, classes: [String], perClass: Int = 2) throws -> URL {
        let folder = root.appendingPathComponent(name)
        let n = Int(seconds * Double(rate))
        for (k, label) in classes.enumerated() {
            let dir = folder.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for i in 0..<perClass {
                var rng = SplitMix64(seed: UInt64(i), key: "\(name)/\(label)")
                let source = (0..<n).map { t in
                    Float(0.2 * sin(2 * Double.pi * Double(300 * (k + 1)) * Double(t) / Double(rate)) + 0.1 * rng.nextSigned())
                }
                // FOA: a plane wave from a class-dependent azimuth, W Y Z X.
                let gains: [Float] = channels == 4
                    ? { let phi = Double(k) * 1.3; return [1, Float(sin(phi)), 0.1, Float(cos(phi))] }()
                    : [Float](repeating: 1, count: channels)
                let buffer = AudioBuffer(sampleRate: rate, channels: gains.map { g in source.map { $0 * g } })
                try AudioFileWriter.write(buffer, to: dir.appendingPathComponent(String(format: "clip%03d.wav", i)), format: .pcm16)
            }
        }
        return folder
    }

    /// Features whose reference pads the whole signal (torch.stft / torchaudio / nnAudio, librosa ≤ 0.8)
    /// say so (`pad_tail: whole`); librosa-0.11 ones keep the tail-slice default; the FOA pipeline adds
    /// the baselines' 1e-8 to every sample.
    func testPadTailAndSampleEpsFollowEachReference() throws {
        func spec(_ pipeline: String, _ name: String) throws -> FeatureSpec {
            try XCTUnwrap(try load(pipeline).features.first { $0.name == name }, "\(pipeline): \(name)")
        }
        XCTAssertEqual((try spec("sps-dcase2020-code", "logmel40").parameters as? LogMelParameters)?.padTail, .whole)
        XCTAssertEqual((try spec("sps-dcase2020-code", "mfcc40").parameters as? MFCCParameters)?.mel.padTail, .whole)
        XCTAssertEqual((try spec("estm-dcase2020t2", "sgram128").parameters as? LogMelParameters)?.padTail, .whole)
        XCTAssertEqual((try spec("estm-dcase2020t2", "esgram128").parameters as? ESgramParameters)?.logmel.padTail, .whole)
        XCTAssertEqual((try spec("sps-dcase2020", "logmel40").parameters as? LogMelParameters)?.padTail, .slice)
        XCTAssertEqual((try spec("ffmamba-seld", "foa7").parameters as? FOAParameters)?.sampleEps, 1e-8)
        let cpjku = try XCTUnwrap(try spec("ds-flexinet", "mel256").makeExtractor() as? CPJKUMel)
        XCTAssertEqual(cpjku.stft.padTail, .whole)
    }

    func testSPSPaperAndCodePipelines() throws {
        _ = try TAU2020Synth().generate(root: root.appendingPathComponent("data"), perClass: 1, seed: 3, durationSeconds: 2)
        for name in ["sps-dcase2020", "sps-dcase2020-code"] {
            var config = try load(name)
            config.audio.duration = 2.0
            let (result, reader) = try run(config)
            XCTAssertEqual(reader.columns.filter { $0.name.hasPrefix("features/") }.count, 4, name)
            let row = try reader.readRow(0)
            for column in reader.columns where column.name.hasPrefix("features/") {
                let values = try XCTUnwrap(row.floats(column.name))
                XCTAssertTrue(values.allSatisfy(\.isFinite), "\(name) \(column.name)")
            }
            XCTAssertEqual(result.rows, reader.rowCount)
        }
        // Paper: 2 s at 44.1 kHz, hop 512 -> 173 frames everywhere (centred), bands as stated.
        let paper = try StoreReader(manifest: root.appendingPathComponent("store-sps-dcase2020/manifest.json"))
        XCTAssertEqual(shape(paper, "logmel40"), [1, 173, 40])
        XCTAssertEqual(shape(paper, "cqt64"), [1, 173, 64])
        XCTAssertEqual(shape(paper, "gamma64"), [1, 173, 64])
        XCTAssertEqual(shape(paper, "mfcc40"), [1, 173, 40])
        // Code: gammatone on scipy frames of 1764/882 -> 1 + (88200 - 1764) / 882 = 99; MFCC at 22050 Hz -> 87.
        let code = try StoreReader(manifest: root.appendingPathComponent("store-sps-dcase2020-code/manifest.json"))
        XCTAssertEqual(shape(code, "gamma64"), [1, 99, 64])
        XCTAssertEqual(shape(code, "mfcc40"), [1, 87, 40])
        XCTAssertEqual(shape(code, "cqt64"), [1, 173, 64])
    }

    /// estm-dcase2020t2 reads the synthetic DCASE 2020 T2 development train tree: the classes are the
    /// (type, ID) pairs found, machine type / ID / condition are columns, and 11-s ToyCar clips are cut to 10 s.
    func testESTMPipeline() throws {
        _ = try DCASE2020T2Synth().generate(root: root.appendingPathComponent("data"), perClass: 1, seed: 0)
        var config = try load("estm-dcase2020t2")
        config.inputs.splits = ["dev_train"]
        let (result, reader) = try run(config)
        XCTAssertEqual(result.rows, 23)
        XCTAssertEqual(shape(reader, "sgram128"), [1, 313, 128])
        XCTAssertEqual(shape(reader, "tgram"), [1, 313, 1024])
        XCTAssertEqual(shape(reader, "esgram128")?.last, 128)
        // Every pair found in the corpus is a class (the split filter selects rows, not classes).
        XCTAssertEqual(reader.classes, DCASE2020T2Recipe.classes)
        let ids = try reader.readStrings("meta/id")
        let types = try reader.readStrings("meta/machine_type"), machines = try reader.readStrings("meta/machine_id")
        let labels = try reader.readInt32("meta/label"), durations = try reader.readColumn("meta/duration")
        XCTAssertEqual(Set(try reader.readStrings("meta/condition")), ["normal"])
        for (i, id) in ids.enumerated() {
            XCTAssertEqual(reader.classes[Int(labels[i])], "\(types[i])/\(machines[i])", id)
            guard case .float32(let seconds) = durations[i] else { return XCTFail("duration of \(id)") }
            XCTAssertEqual(Double(seconds[0]), types[i] == "ToyCar" ? 11 : 10, accuracy: 1e-4, id)
        }
        XCTAssertEqual(result.clipLengths?.truncated, 4)
    }

    /// ffmamba-seld reads the synthetic STARSS22 FOA tree: features and the frame targets of the
    /// first 2 s, an event at a known direction coming out as its unit vector; h5py reads the targets;
    /// a 2-channel WAV is rejected by name; `format: mic` reads the MIC tree.
    func testFFMambaPipelineOnFOA() throws {
        let data = root.appendingPathComponent("data")
        _ = try STARSS22Synth().generate(root: data, perClass: 1, seed: 0, durationSeconds: 3)
        var config = try load("ffmamba-seld")
        XCTAssertEqual(config.audio.segmentHop, 10)
        XCTAssertEqual(config.augment?.variants, 2)
        config.augment = nil   // the augmented variants have tests of their own (AugmentVariantsTests)
        config.audio.duration = 2.0
        config.audio.segmentHop = nil
        config.inputs.adpit = true
        let (result, reader) = try run(config)
        XCTAssertEqual(result.rows, 5, "4 development recordings and the unlabeled evaluation one")
        XCTAssertEqual(shape(reader, "foa7"), [7, 160, 128])
        XCTAssertEqual(reader.classes, STARSS22Recipe.classes)
        let columns = Dictionary(uniqueKeysWithValues: reader.columns.map { ($0.name, $0.rowShape) })
        XCTAssertEqual(columns["targets/activity"], [20, 13])
        XCTAssertEqual(columns["targets/doa"], [20, 3, 13, 3])
        XCTAssertEqual(columns["targets/adpit"], [20, 6, 4, 13])
        let ids = try reader.readStrings("meta/id")
        let row = try XCTUnwrap(ids.firstIndex(of: "starss22/dev-train-sony/fold3_room21_mix001"))
        let values = try reader.readRow(row, columns: ["targets/activity", "targets/doa"])
        guard case .float32(let activity) = values.values["targets/activity"], case .float32(let doa) = values.values["targets/doa"] else {
            return XCTFail("no targets")
        }
        // Recording 0: class 0 from (-150°, -20°) in frames 0..<15 (half of the 3-s file's 30 frames).
        let expected = SELDEvent(frame: 0, classIndex: 0, source: 0, azimuth: -150, elevation: -20).unitVector
        XCTAssertEqual(activity[0], 1)
        XCTAssertEqual(activity[1], 0)
        XCTAssertEqual(doa[0], expected.x, accuracy: 1e-6)
        XCTAssertEqual(doa[1], expected.y, accuracy: 1e-6)
        XCTAssertEqual(doa[2], expected.z, accuracy: 1e-6)
        XCTAssertEqual(activity[19 * 13 + 0], 0, "class 0 ended at frame 15")
        XCTAssertEqual(Set(try reader.readStrings("meta/room")), ["21", "4", "23", "2", ""])
        // The evaluation recording without metadata: an unlabeled row whose targets are unknown (NaN), not silence.
        let eval = try XCTUnwrap(ids.firstIndex(of: "starss22/eval/mix001"))
        XCTAssertEqual(try reader.readStrings("meta/split")[eval], "unlabeled")
        XCTAssertEqual(try reader.readStrings("meta/corpus_split")[eval], "eval")
        let evalTargets = try reader.readRow(eval, columns: ["targets/activity", "targets/doa", "targets/adpit"])
        for column in ["targets/activity", "targets/doa", "targets/adpit"] {
            XCTAssertTrue(try XCTUnwrap(evalTargets.floats(column)).allSatisfy(\.isNaN), column)
        }

        let python = "/usr/bin/python3"
        if FileManager.default.isExecutableFile(atPath: python) {
            let script = """
            import sys, glob, h5py, numpy as np
            for path in sorted(glob.glob(sys.argv[1] + "/shards/*.h5")):
                with h5py.File(path, "r") as f:
                    for i, rid in enumerate(f["meta/id"][...]):
                        if rid.decode() == "starss22/dev-train-sony/fold3_room21_mix001":
                            d = f["targets/doa"][i]
                            print("%.4f %.4f %.4f %d" % (d[0, 0, 0, 0], d[0, 0, 0, 1], d[0, 0, 0, 2], int(f["targets/activity"][i].sum())))
            """
            let ran = try ProcessRunner.run(URL(fileURLWithPath: python), ["-c", script, result.manifestURL.deletingLastPathComponent().path])
            let output = ran.out + ran.err
            if !output.contains("No module named 'h5py'") {
                let active = Int(activity.reduce(0, +))
                XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines),
                               String(format: "%.4f %.4f %.4f %d", expected.x, expected.y, expected.z, active), output)
            }
        }

        // A stereo WAV where FOA needs 4 channels is rejected by name; its CSV is read, the run goes on.
        let stereo = data.appendingPathComponent("STARSS22/foa_dev/dev-test-tau/fold4_room2_mix009.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 24000, channels: [[Float](repeating: 0.1, count: 4800), [Float](repeating: 0.1, count: 4800)]),
                                  to: stereo, format: .pcm16)
        try "0,1,0,10,2\n".write(to: data.appendingPathComponent("STARSS22/metadata_dev/dev-test-tau/fold4_room2_mix009.csv"),
                                 atomically: true, encoding: .utf8)
        let second = try Ingest.run(Ingest.Request(config: config, dataRoot: data, output: root.appendingPathComponent("foa2"),
                                                   threads: 1, progress: .silent))
        XCTAssertEqual(second.rejected.map(\.path), [stereo.path])
        XCTAssertEqual(second.rejected.first?.reason, "2 channels, expected 4")
        XCTAssertEqual(second.rows, 5)

        try FileManager.default.removeItem(at: stereo)
        try FileManager.default.removeItem(at: data.appendingPathComponent("STARSS22/metadata_dev/dev-test-tau/fold4_room2_mix009.csv"))
        config.inputs.format = "mic"
        config.inputs.adpit = false
        let (micResult, micReader) = try run(config, store: "mic")
        XCTAssertEqual(micResult.rows, 5)
        XCTAssertTrue(try micReader.readStrings("meta/format").allSatisfy { $0 == "mic" })
        XCTAssertTrue(try micReader.readStrings("meta/id").allSatisfy { $0.hasPrefix("starss22/") })
    }

    /// Segments: 3-s recordings cut into 1-s rows every 1 s; targets are cut with the audio (label
    /// frame 0 of segment k is frame 10k of the recording), features equal those of the audio slice,
    /// and the store's bytes do not depend on the thread count.
    func testFFMambaSegmentsCutFeaturesAndTargetsTogether() throws {
        let data = root.appendingPathComponent("data")
        _ = try STARSS22Synth().generate(root: data, perClass: 1, seed: 5, durationSeconds: 3)
        var config = try load("ffmamba-seld")
        config.augment = nil   // segments alone; the variants are AugmentVariantsTests'
        config.audio.duration = 1.0
        config.audio.segmentHop = 1.0
        let (result, reader) = try run(config)
        XCTAssertEqual(result.rows, 15, "5 recordings (one of them the evaluation set's) of 3 segments")
        XCTAssertNil(result.clipLengths, "segments are not clips padded or cut to the duration")
        let ids = try reader.readStrings("meta/id"), recordings = try reader.readStrings("meta/recording")
        let starts = try reader.readColumn("meta/start")
        let parent = "starss22/dev-train-sony/fold3_room21_mix001"
        var activityOf: [Int: [Float]] = [:], featuresOf: [Int: [Float]] = [:]
        for (i, id) in ids.enumerated() where recordings[i] == parent {
            let k = try XCTUnwrap(Int(id.split(separator: "#").last ?? ""))
            guard case .float32(let start) = starts[i] else { return XCTFail() }
            XCTAssertEqual(start, [Float(k)])
            let row = try reader.readRow(i, columns: ["targets/activity", "features/foa7"])
            guard case .float32(let a) = row.values["targets/activity"], case .float32(let f) = row.values["features/foa7"] else { return XCTFail() }
            activityOf[k] = a
            featuresOf[k] = f
        }
        XCTAssertEqual(Set(activityOf.keys), [0, 1, 2])
        // Class 0: frames 0..<15 of 30; class 1: frames 7..<22.
        for k in 0..<3 {
            let a = try XCTUnwrap(activityOf[k])
            for t in 0..<10 {
                let frame = 10 * k + t
                let first: Float = frame < 15 ? 1 : 0
                let second: Float = (7..<22).contains(frame) ? 1 : 0
                XCTAssertEqual(a[t * 13], first, "segment \(k) frame \(t)")
                XCTAssertEqual(a[t * 13 + 1], second, "segment \(k) frame \(t)")
            }
        }
        // Segment 1's features are those of the file's second second, computed alone.
        let audio = try AudioDecoder.decode(data.appendingPathComponent("STARSS22/foa_dev/dev-train-sony/fold3_room21_mix001.wav"))
        let slice = audio.channels.map { Array($0[24_000..<48_000]) }
        let features = FeatureSet(config.features)
        let tensors = try features.makeWorker().extract([24_000: slice])
        XCTAssertEqual(tensors[0].values, featuresOf[1]!)

        // Same bytes with one thread.
        let one = root.appendingPathComponent("one-thread")
        _ = try Ingest.run(Ingest.Request(config: config, dataRoot: data, output: one, threads: 1, progress: .silent))
        let two = result.manifestURL.deletingLastPathComponent()
        for shard in ["shards/part-00000.h5"] {
            XCTAssertEqual(try Data(contentsOf: one.appendingPathComponent(shard)), try Data(contentsOf: two.appendingPathComponent(shard)))
        }
    }

    /// The TAU-NIGENS 2021 example: ffmamba-seld on `tau-nigens2021`, 12 classes, validation split kept.
    func testFFMambaOnTAUNIGENS2021() throws {
        _ = try TAUNIGENS2021Synth().generate(root: root.appendingPathComponent("data"), perClass: 1, seed: 2, durationSeconds: 2)
        var config = try load("ffmamba-seld")
        config.augment = nil
        config.inputs.corpora = ["tau-nigens2021"]
        config.audio.duration = 1.0
        config.audio.segmentHop = 1.0
        let (result, reader) = try run(config)
        XCTAssertEqual(result.rows, 8, "3 development and 1 labelled evaluation recording, 2 segments each")
        XCTAssertEqual(reader.classes, TAUNIGENS2021Recipe.classes)
        XCTAssertEqual(reader.columns.first { $0.name == "targets/doa" }?.rowShape, [10, 3, 12, 3])
        XCTAssertEqual(Set(try reader.readStrings("meta/split")), ["train", "validation", "test"])
        // The labelled evaluation set (foa_eval/eval-test + metadata_eval) is a test split with targets.
        let ids = try reader.readStrings("meta/id"), corpusSplits = try reader.readStrings("meta/corpus_split")
        let eval = try XCTUnwrap(ids.firstIndex(of: "tau-nigens2021/eval-test/mix001#0"))
        XCTAssertEqual(corpusSplits[eval], "eval-test")
        let activity = try XCTUnwrap(try reader.readRow(eval, columns: ["targets/activity"]).floats("targets/activity"))
        XCTAssertEqual(activity[0 * 12 + 3], 1, "recording 3 of the corpus: class 3 from frame 0")
        XCTAssertTrue(activity.allSatisfy { $0 == 0 || $0 == 1 })
    }

    /// ds-flexinet reads the synthetic TAU 2022 corpus (1-s clips) from `--data`, and each row keeps the
    /// 10-s segment its piece was cut from.
    func testDSFlexiNetPipeline() throws {
        let summary = try TAU2022Synth().generate(root: root.appendingPathComponent("data"), perClass: 2, seed: 3)
        // Its ADIR variants read the MicIRP bank under --data: one augmented row per device-a training clip.
        let bank = root.appendingPathComponent("data/MicIRP")
        try FileManager.default.createDirectory(at: bank, withIntermediateDirectories: true)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44100, channels: [[1, 0.5, 0.25]]), to: bank.appendingPathComponent("ir.wav"), format: .float32)
        let (result, reader) = try run(try load("ds-flexinet"))
        let variants = try reader.readInt32("meta/variant")
        XCTAssertEqual(result.rows, variants.count)
        XCTAssertEqual(variants.filter { $0 == 0 }.count, summary.filesWritten)
        XCTAssertGreaterThan(variants.filter { $0 == 1 }.count, 0, "device-a training clips get an ADIR variant")
        XCTAssertEqual(shape(reader, "mel256"), [1, 64, 256])
        var segments: [String: String] = [:]
        for (id, segment) in zip(try reader.readStrings("meta/id"), try reader.readStrings("meta/segment")) {
            segments[id] = segment
        }
        XCTAssertEqual(segments.count, summary.filesWritten)
        XCTAssertEqual(segments["tau2022/airport-barcelona-1000-40000-0-a"], "barcelona-1000-40000")
        XCTAssertEqual(segments["tau2022/airport-barcelona-1000-40000-0-b"], "barcelona-1000-40000")
    }

    /// The 10-s default pipeline on 1-s TAU 2022 clips is refused before any work, naming the pipeline to use.
    func testDefaultPipelineOnTAU2022IsRefusedNamingDSFlexiNet() throws {
        _ = try TAU2022Synth().generate(root: root.appendingPathComponent("data"), perClass: 1, seed: 0)
        var config = try load("ingest")
        config.inputs.corpora = ["tau2022"]
        let out = root.appendingPathComponent("refused")
        XCTAssertThrowsError(try Ingest.run(Ingest.Request(config: config, dataRoot: root.appendingPathComponent("data"),
                                                           output: out, threads: 1, progress: .silent))) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("tau2022 clips are 1.0 s long"), text)
            XCTAssertTrue(text.contains("pipelines/ds-flexinet.yaml"), text)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    /// `inputs.splits` names a DCASE 2023–2025 train subset: only its files (and the listed corpus
    /// splits) are ingested.
    func testDSFlexiNetOnATrainSubset() throws {
        _ = try TAU2022Synth().generate(root: root.appendingPathComponent("data"), perClass: 4, seed: 1)
        var config = try load("ds-flexinet")
        config.augment = nil   // the train subsets alone; testDSFlexiNetPipeline covers the ADIR variants
        config.inputs.splits = ["split25", "evaluate"]
        let (result, reader) = try run(config)
        // 40 train files: split25 lists 10 of them; evaluate has 40.
        XCTAssertEqual(result.rows, 10 + 40)
        var splits: [String: Int] = [:]
        for split in try reader.readStrings("meta/split") { splits[split, default: 0] += 1 }
        XCTAssertEqual(splits, ["train": 10, "test": 40])
    }
}
