import AudioIO
import Corpora
import Features
import Foundation
import Pipeline
import Randomness
import Store
import XCTest

/// Every pipeline in pipelines/ runs end to end on a synthetic corpus and yields the shapes its
/// paper describes (with shorter clips where the pipeline allows, to keep the suite fast).
final class ShippedPipelinesTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pipelines-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func load(_ name: String) throws -> PipelineConfig {
        try PipelineConfig.load(PipelineFixture.repositoryRoot.appendingPathComponent("pipelines/\(name).yaml"))
    }

    func run(_ config: PipelineConfig, folder: URL? = nil) throws -> (Ingest.Result, StoreReader) {
        let out = root.appendingPathComponent("store-\(config.name)")
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

    func testFFMambaPipelineOnFOA() throws {
        let folder = try makeFolder("foa", rate: 24000, channels: 4, seconds: 2, classes: ["a", "b"])
        var config = try load("ffmamba-seld")
        config.audio.duration = 2.0
        let (_, reader) = try run(config, folder: folder)
        XCTAssertEqual(shape(reader, "foa7"), [7, 160, 128])
        // A stereo file is rejected by expect_channels, naming it.
        let stereo = folder.appendingPathComponent("a/stereo.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 24000, channels: [[Float](repeating: 0.1, count: 480), [Float](repeating: 0.1, count: 480)]),
                                  to: stereo, format: .pcm16)
        let result = try Ingest.run(Ingest.Request(config: config, paths: ["folder": folder], output: root.appendingPathComponent("foa2"),
                                                   threads: 1, progress: .silent))
        XCTAssertEqual(result.rejected.map(\.path), [stereo.path])
        XCTAssertEqual(result.rejected.first?.reason, "2 channels, expected 4")
    }

    /// ds-flexinet reads the synthetic TAU 2022 corpus (1-s clips) from `--data`, and each row keeps the
    /// 10-s segment its piece was cut from.
    func testDSFlexiNetPipeline() throws {
        let summary = try TAU2022Synth().generate(root: root.appendingPathComponent("data"), perClass: 2, seed: 3)
        let (result, reader) = try run(try load("ds-flexinet"))
        XCTAssertEqual(result.rows, summary.filesWritten)
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
        config.inputs.splits = ["split25", "evaluate"]
        let (result, reader) = try run(config)
        // 40 train files: split25 lists 10 of them; evaluate has 40.
        XCTAssertEqual(result.rows, 10 + 40)
        var splits: [String: Int] = [:]
        for split in try reader.readStrings("meta/split") { splits[split, default: 0] += 1 }
        XCTAssertEqual(splits, ["train": 10, "test": 40])
    }
}
