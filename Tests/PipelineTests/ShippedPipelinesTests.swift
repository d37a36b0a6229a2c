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

    func testESTMPipeline() throws {
        let folder = try makeFolder("dcase2020t2", rate: 16000, channels: 1, seconds: 10, classes: ["fan", "pump"])
        let (_, reader) = try run(try load("estm-dcase2020t2"), folder: folder)
        XCTAssertEqual(shape(reader, "sgram128"), [1, 313, 128])
        XCTAssertEqual(shape(reader, "tgram"), [1, 313, 1024])
        XCTAssertEqual(shape(reader, "esgram128")?.last, 128)
        XCTAssertEqual(reader.classes, ["fan", "pump"])
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
        // Once per planned row: the recording and its two augmented variants (pipeline's augment section).
        XCTAssertEqual(Set(result.rejected.map(\.path)), [stereo.path])
        XCTAssertEqual(result.rejected.count, 3)
        XCTAssertEqual(result.rejected.first?.reason, "2 channels, expected 4")
    }

    func testDSFlexiNetPipeline() throws {
        let folder = try makeFolder("tau2022", rate: 44100, channels: 1, seconds: 1, classes: ["airport", "bus"])
        // Its ADIR variants read the MicIRP bank under --data (a plain folder has no devices: no variant here).
        let bank = root.appendingPathComponent("data/MicIRP")
        try FileManager.default.createDirectory(at: bank, withIntermediateDirectories: true)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44100, channels: [[1, 0.5, 0.25]]), to: bank.appendingPathComponent("ir.wav"), format: .float32)
        let (_, reader) = try run(try load("ds-flexinet"), folder: folder)
        XCTAssertEqual(shape(reader, "mel256"), [1, 64, 256])
    }
}
