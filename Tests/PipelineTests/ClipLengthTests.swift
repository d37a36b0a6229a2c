import AudioIO
import Corpora
import Foundation
import Pipeline
import Store
import XCTest

/// Short and truncated audio is visible: each row keeps its file's duration, rate and sample count,
/// the manifest and the summary count padded and truncated clips, and a file below
/// `min_duration_fraction` x `duration` is rejected, naming the file.
final class ClipLengthTests: XCTestCase {
    var fixture: PipelineFixture!

    override func setUpWithError() throws { fixture = try PipelineFixture(corpora: ["tau2020"], perClass: 1) }
    override func tearDown() { fixture.remove() }

    private func tone(seconds: Double, rate: Int) -> AudioBuffer {
        let n = Int((seconds * Double(rate)).rounded())
        return AudioBuffer(sampleRate: rate, channels: [(0..<n).map { Float(sin(Double($0) * 0.05) * 0.3) }])
    }

    func testShortFilesAreRejectedAndPaddedOrTruncatedOnesCounted() throws {
        let catalog = try TAU2020Recipe().catalog(root: fixture.data.appendingPathComponent(TAU2020Recipe.folderName))
        let recordings = catalog.recordings
        XCTAssertGreaterThanOrEqual(recordings.count, 5)
        let files = recordings.map { URL(fileURLWithPath: $0.path) }
        // 0: 0.3 s, below 0.5 x 1 s; 1: 0.7 s at 48 kHz (padded); 2: 4 s at 22.05 kHz (truncated; read only up to
        // the clip's 1 s + 0.5 s, its length comes from the header);
        // 3: exactly 1 s at 16 kHz; the rest are the synthetic 1-s clips.
        try AudioFileWriter.write(tone(seconds: 0.3, rate: 44100), to: files[0], format: .pcm16)
        try AudioFileWriter.write(tone(seconds: 0.7, rate: 48000), to: files[1], format: .pcm16)
        try AudioFileWriter.write(tone(seconds: 4.0, rate: 22050), to: files[2], format: .pcm16)
        try AudioFileWriter.write(tone(seconds: 1.0, rate: 16000), to: files[3], format: .pcm16)

        let config = try PipelineFixture.config(corpora: ["tau2020"])
        XCTAssertEqual(config.audio.minDurationFraction, 0.5, "the documented default")
        let result = try Ingest.run(Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url("store"),
                                                   threads: 2, progress: .silent))
        XCTAssertEqual(result.rejected.count, 1, "\(result.rejected)")
        let rejection = try XCTUnwrap(result.rejected.first)
        XCTAssertEqual(rejection.path, files[0].path)
        XCTAssertEqual(rejection.stage, "duration")
        XCTAssertEqual(rejection.reason,
                       "audio is 0.300 s (13230 samples at 44100 Hz), shorter than min_duration_fraction 0.5 x duration 1 s")
        XCTAssertEqual(result.rows, recordings.count - 1)

        let expected = ClipLengths(duration: 1, minDurationFraction: 0.5, padded: 1, truncated: 1,
                                   exact: recordings.count - 3, rejectedShort: 1)
        let manifest = try Manifest.load(from: result.manifestURL)
        XCTAssertEqual(manifest.clipLengths, expected)
        XCTAssertEqual(result.clipLengths, expected)
        XCTAssertEqual(result.clipLengths?.summary,
                       "clip lengths (1 s): 1 padded, 1 truncated, \(recordings.count - 3) exact; 1 rejected below 0.5 x 1 s")
        XCTAssertEqual(manifest.parameters["audio"]?["min_duration_fraction"], .number(0.5))

        // Each row: the file as decoded, before resampling and fix_length.
        let reader = try StoreReader(manifest: result.manifestURL)
        let ids = try reader.readStrings("meta/id")
        func row(_ index: Int) throws -> ShardRow {
            try reader.readRow(try XCTUnwrap(ids.firstIndex(of: recordings[index].id)))
        }
        XCTAssertEqual(try row(1).int32("meta/sample_rate"), 48000)
        XCTAssertEqual(try row(1).int64("meta/num_samples"), 33600)
        XCTAssertEqual(try row(1).floats("meta/duration"), [Float(0.7)])
        XCTAssertEqual(try row(2).int32("meta/sample_rate"), 22050)
        XCTAssertEqual(try row(2).int64("meta/num_samples"), 88200)
        XCTAssertEqual(try row(2).floats("meta/duration"), [Float(4.0)])
        XCTAssertEqual(try row(3).int64("meta/num_samples"), 16000)
        XCTAssertFalse(ids.contains(recordings[0].id))

        // The durations report counts the same, per corpus x split x rate.
        let durations = try CSVRows(fixture.url("store/reports/durations.csv"))
        XCTAssertEqual(durations.header, ["corpus", "split", "sample_rate", "rows", "padded", "truncated", "exact",
                                          "min_seconds", "mean_seconds", "max_seconds"])
        XCTAssertEqual(durations.sum("padded"), 1)
        XCTAssertEqual(durations.sum("truncated"), 1)
        XCTAssertEqual(durations.sum("rows"), result.rows)
        let at48k = try XCTUnwrap(durations.rows.first { $0["sample_rate"] == "48000" && $0["padded"] == "1" })
        XCTAssertEqual(at48k["min_seconds"], "0.7")
        let rejected = try CSVRows(fixture.url("store/reports/rejected.csv"))
        XCTAssertEqual(rejected.rows.map { $0["path"] }, [files[0].path])
        XCTAssertEqual(rejected.rows.first?["stage"], "duration")

        // min_duration_fraction 0 keeps the short file, padded.
        var keepAll = config
        keepAll.audio.minDurationFraction = 0
        let kept = try Ingest.run(Ingest.Request(config: keepAll, dataRoot: fixture.data, output: fixture.url("all"),
                                                 threads: 1, progress: .silent))
        XCTAssertTrue(kept.rejected.isEmpty, "\(kept.rejected)")
        XCTAssertEqual(kept.clipLengths?.padded, 2)
        XCTAssertEqual(kept.clipLengths?.rejectedShort, 0)
    }

    func testMinDurationFractionOutsideZeroToOneIsAConfigError() throws {
        for bad in ["1.5", "-0.1", ".nan"] {
            let file = fixture.url("bad-\(bad).yaml")
            try """
            name: bad
            audio:
              min_duration_fraction: \(bad)
            features:
              - {name: logmel64, kind: logmel}
            """.write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try PipelineConfig.load(file), bad) { error in
                XCTAssertTrue("\(error)".contains("min_duration_fraction"), "\(error)")
                XCTAssertTrue("\(error)".contains(file.path), "\(error)")
            }
        }
    }
}

/// A CSV file read with a header, for checking reports (fields are never quoted in these tests).
struct CSVRows {
    let header: [String]
    let rows: [[String: String]]

    init(_ url: URL) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let names = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        header = names
        rows = lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(names, fields))
        }
    }

    func sum(_ column: String) -> Int { rows.reduce(0) { $0 + (Int($1[column] ?? "") ?? 0) } }
}
