import AudioIO
import Corpora
import Foundation
import Pipeline
import Store
import XCTest

/// Bad input never stops a run: each bad file is rejected with its path and reason, listed in the
/// manifest, and the rest is written.
final class BadInputTests: XCTestCase {
    var fixture: PipelineFixture!

    override func setUpWithError() throws { fixture = try PipelineFixture(corpora: ["tau2020"], perClass: 1) }
    override func tearDown() { fixture.remove() }

    func testEveryKindOfBadInputIsRejectedAndTheRestIsWritten() throws {
        let corpus = fixture.data.appendingPathComponent(TAU2020Recipe.folderName)
        let catalog = try TAU2020Recipe().catalog(root: corpus)
        let files = catalog.recordings.map { URL(fileURLWithPath: $0.path) }
        XCTAssertGreaterThanOrEqual(files.count, 7)
        // 0: corrupt bytes; 1: missing although listed; 2: digital silence; 3: NaN samples;
        // 4: unexpected channel count; 5: zero-length file.
        try Data("RIFF....WAVEgarbage".utf8).write(to: files[0])
        try FileManager.default.removeItem(at: files[1])
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44100, channels: [[Float](repeating: 0, count: 44100)]), to: files[2], format: .pcm16)
        var nan = [Float](repeating: 0.1, count: 44100)
        nan[100] = .nan
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44100, channels: [nan]), to: files[3], format: .float32)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44100, channels: [[Float]](repeating: [Float](repeating: 0.1, count: 44100), count: 3)),
                                  to: files[4], format: .pcm16)
        FileManager.default.createFile(atPath: files[5].path, contents: Data())
        // 6: a sample rate the pipeline does not expect.
        try AudioFileWriter.write(AudioBuffer(sampleRate: 48000, channels: [[Float](repeating: 0.1, count: 48000)]), to: files[6], format: .pcm16)

        var config = try PipelineFixture.config(corpora: ["tau2020"])
        config.audio.expectChannels = [1, 2]
        config.audio.expectSampleRates = [44100]
        let result = try Ingest.run(Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url("store"),
                                                   threads: 2, progress: .silent))
        func rejection(_ url: URL) -> RejectedInput? { result.rejected.first { $0.path == url.path } }
        XCTAssertEqual(rejection(files[0])?.stage, "audio")
        XCTAssertTrue(rejection(files[0])?.reason.contains("cannot decode") ?? false, "\(String(describing: rejection(files[0])))")
        // A listed file that is missing is a metadata-level rejection naming the metadata file and line.
        let missing = result.rejected.first { $0.reason.contains(files[1].lastPathComponent) }
        XCTAssertEqual(missing?.stage, "metadata")
        XCTAssertNotNil(missing?.line)
        XCTAssertTrue(missing?.reason.contains("missing") ?? false, "\(String(describing: missing))")
        XCTAssertEqual(rejection(files[2])?.reason, "digital silence (every sample is zero)")
        XCTAssertEqual(rejection(files[3])?.reason, "NaN or Inf sample at frame 100")
        XCTAssertEqual(rejection(files[4])?.reason, "3 channels, expected 1 or 2")
        XCTAssertNotNil(rejection(files[5]))
        XCTAssertEqual(rejection(files[6])?.reason, "sample rate 48000 Hz, expected 44100 Hz")
        // Every rejection with its stage and reason, so that an unexpected one explains itself.
        XCTAssertEqual(result.rejected.count, 7, result.rejected.map {
            "\(URL(fileURLWithPath: $0.path).lastPathComponent) [\($0.stage)] \($0.reason)"
        }.joined(separator: "; "))

        // The rest is in the store; the manifest lists every rejection.
        XCTAssertEqual(result.rows, catalog.recordings.count - 7)
        let manifest = try Manifest.load(from: result.manifestURL)
        XCTAssertEqual(manifest.rejected, result.rejected)
        XCTAssertEqual(Set(manifest.rejected.compactMap { $0.stage == "audio" ? $0.path : nil }),
                       Set([0, 2, 3, 4, 5, 6].map { files[$0].path }))
        XCTAssertEqual(try StoreReader(manifest: result.manifestURL).rowCount, result.rows)
    }

    func testUnknownCorpusAndMissingFolderAreClearErrors() throws {
        var config = try PipelineFixture.config(corpora: ["tau2021"])
        XCTAssertThrowsError(try Ingest.run(Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url("x")))) { error in
            XCTAssertTrue(String(describing: error).contains("unknown corpus 'tau2021'"), "\(error)")
        }
        config.inputs.corpora = ["cochlscene"]
        XCTAssertThrowsError(try Ingest.run(Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url("y")))) { error in
            XCTAssertTrue(String(describing: error).contains("CochlScene"), "\(error)")
        }
    }

    /// An empty folder is an error that says so, not an empty store.
    func testNothingToIngestIsAnError() throws {
        let empty = fixture.url("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        var config = try PipelineFixture.config(corpora: ["folder"])
        config.inputs.paths = ["folder": empty.path]
        XCTAssertThrowsError(try Ingest.run(Ingest.Request(config: config, output: fixture.url("none"), progress: .silent))) { error in
            XCTAssertTrue(String(describing: error).contains("nothing to ingest: no recordings found in folder"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.url("none/manifest.json").path))
    }

    func testPipelineFileErrorsNameTheFileAndKey() throws {
        let file = fixture.url("bad.yaml")
        try """
        name: bad
        audio: {sample_rate: 16000, channels: stereo}
        features:
          - {name: m, kind: logmel}
        """.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PipelineConfig.load(file)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("bad.yaml"), text)
            XCTAssertTrue(text.contains("channels must be 'mono', 'keep' or a list"), text)
        }
        try """
        name: bad
        features:
          - {name: m, kind: wavelets}
        """.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PipelineConfig.load(file)) { error in
            XCTAssertTrue(String(describing: error).contains("unknown feature kind 'wavelets'"), "\(error)")
        }
    }
}
