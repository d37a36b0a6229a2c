import Foundation
import Pipeline
import TestSupport
import XCTest

/// Issue 7's list of pipeline values: on the old main ten of them crashed `pipe ingest` (a trap in
/// `Window.padded`, an FFT plan or a filterbank gigabytes large, `Int(nan)`) and four made a store of
/// nothing but the dB floor with exit 0. Each is one edit of the shipped `pipelines/ingest.yaml`
/// (the log-mel feature or the audio section) and must now be refused by `PipelineConfig.load`,
/// naming the file and the key, before anything is read or written.
final class PipelineValueBoundsTests: XCTestCase {
    /// The shipped default pipeline, every case below one textual edit of it.
    static let shipped: String = {
        (try? String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)) ?? ""
    }()

    /// One case: the line of ingest.yaml it replaces, its replacement, and what the error says.
    struct Case {
        let name: String
        let line: String
        let replacement: String
        let message: String
    }

    static let cases: [Case] = [
        Case(name: "win_length > n_fft", line: "    win_length: 1764", replacement: "    win_length: 4096",
             message: "features[0].win_length = 4096 exceeds n_fft = 2048"),
        Case(name: "hop 0", line: "    hop_length: 882", replacement: "    hop_length: 0",
             message: "features[0].hop_length = 0 must be positive"),
        Case(name: "n_fft 0", line: "    n_fft: 2048", replacement: "    n_fft: 0",
             message: "features[0].n_fft = 0 must be positive"),
        Case(name: "n_fft -1", line: "    n_fft: 2048", replacement: "    n_fft: -1",
             message: "features[0].n_fft = -1 must be positive"),
        Case(name: "n_fft 2^24", line: "    n_fft: 2048", replacement: "    n_fft: 16777216",
             message: "features[0].n_fft = 16777216 exceeds the largest supported FFT size 2^20 = 1048576"),
        Case(name: "win -5", line: "    win_length: 1764", replacement: "    win_length: -5",
             message: "features[0].win_length = -5 must be positive"),
        Case(name: "n_mels -64", line: "    n_mels: 64", replacement: "    n_mels: -64",
             message: "features[0].n_mels = -64 must be positive"),
        Case(name: "duration NaN", line: "  duration: 10.0", replacement: "  duration: .nan",
             message: "audio.duration = nan must be a finite number"),
        Case(name: "duration 1e9", line: "  duration: 10.0", replacement: "  duration: 1.0e9",
             message: "audio.duration = 1000000000.0 gives 44100000000000 samples per clip (at 44100 Hz, 1 channel)"),
        Case(name: "sample rate 2e9", line: "  sample_rate: 44100", replacement: "  sample_rate: 2000000000",
             message: "audio.sample_rate = 2000000000 must lie between 1000 and 768000 Hz"),
        Case(name: "win 0", line: "    win_length: 1764", replacement: "    win_length: 0",
             message: "features[0].win_length = 0 must be positive"),
        Case(name: "fmin > fmax", line: "    fmin: 0", replacement: "    fmin: 8000\n    fmax: 4000",
             message: "features[0].fmin = 8000.0 must be below fmax = 4000.0"),
        // With n_fft 1 the only bin is 0 Hz: every mel filter is empty and every value the floor.
        Case(name: "n_fft 1", line: "    n_fft: 2048\n    win_length: 1764",
             replacement: "    n_fft: 1\n    win_length: 1",
             message: "features[0].n_fft = 1 leaves every mel filter empty"),
        Case(name: "duration 0", line: "  duration: 10.0", replacement: "  duration: 0",
             message: "audio.duration = 0.0 must be positive"),
    ]

    /// ingest.yaml with `c`'s edit; fails the test if the line is not in the shipped file.
    func edited(_ c: Case, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertTrue(Self.shipped.contains(c.line + "\n"), "\(c.name): '\(c.line)' is not in pipelines/ingest.yaml",
                      file: file, line: line)
        return Self.shipped.replacingOccurrences(of: c.line + "\n", with: c.replacement + "\n")
    }

    func testTheShippedFileLoadsWithoutWarnings() throws {
        let folder = try TemporaryFolder.forTest(self)
        let url = try TemporaryFolder.write(in: folder, Self.shipped, to: "ingest.yaml")
        XCTAssertEqual(try PipelineConfig.load(url).warnings, [])
    }

    func testEveryListedValueIsRefusedNamingTheFileAndKey() throws {
        let folder = try TemporaryFolder.forTest(self)
        XCTAssertEqual(Self.cases.count, 14)
        for c in Self.cases {
            let url = try TemporaryFolder.write(in: folder, edited(c), to: "ingest.yaml")
            do {
                let config = try PipelineConfig.load(url)
                XCTFail("\(c.name): loaded (\(config.features.map(\.name)))")
            } catch {
                let text = String(describing: error)
                XCTAssertTrue(text.contains("ingest.yaml: ") && text.contains(c.message),
                              "\(c.name): expected '\(c.message)' in: \(text)")
            }
        }
    }

    /// The bounds are bounds, not new defaults: the largest accepted values still load.
    func testValuesAtTheBoundsLoad() throws {
        let folder = try TemporaryFolder.forTest(self)
        let edits = [
            ("    n_fft: 2048", "    n_fft: 1048576"),
            ("  sample_rate: 44100", "  sample_rate: 768000"),
            ("  sample_rate: 44100", "  sample_rate: 1000"),
            // 2^31 samples of mono 44.1 kHz are 48,695.6 s.
            ("  duration: 10.0", "  duration: 48695.0"),
        ]
        for (line, replacement) in edits {
            let yaml = Self.shipped.replacingOccurrences(of: line + "\n", with: replacement + "\n")
            XCTAssertNotEqual(yaml, Self.shipped)
            let url = try TemporaryFolder.write(in: folder, yaml, to: "ingest.yaml")
            XCTAssertNoThrow(try PipelineConfig.load(url), replacement)
        }
        let past = Self.shipped.replacingOccurrences(of: "  duration: 10.0\n", with: "  duration: 48696.0\n")
        let url = try TemporaryFolder.write(in: folder, past, to: "ingest.yaml")
        XCTAssertThrowsError(try PipelineConfig.load(url)) { error in
            XCTAssertTrue(String(describing: error).contains("audio.duration = 48696.0 gives"), "\(error)")
        }
    }

    /// Some empty mel filters stay librosa's warning; only a bank with no weight at all is an error.
    func testSomeEmptyFiltersWarnButAllEmptyIsAnError() throws {
        let folder = try TemporaryFolder.forTest(self)
        let some = Self.shipped
            .replacingOccurrences(of: "    n_fft: 2048\n    win_length: 1764\n", with: "    n_fft: 256\n    win_length: 256\n")
            .replacingOccurrences(of: "    n_mels: 64\n", with: "    n_mels: 128\n")
        let url = try TemporaryFolder.write(in: folder, some, to: "ingest.yaml")
        let warnings = try PipelineConfig.load(url).warnings.map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.hasPrefix("features[0].n_mels = 128 gives ") ?? false, "\(warnings)")
        // n_fft 2: bins at 0 Hz and at Nyquist, both on the bank's edges, so no filter has weight.
        let none = Self.shipped.replacingOccurrences(of: "    n_fft: 2048\n    win_length: 1764\n",
                                                     with: "    n_fft: 2\n    win_length: 2\n")
        let noneURL = try TemporaryFolder.write(in: folder, none, to: "ingest.yaml")
        XCTAssertThrowsError(try PipelineConfig.load(noneURL)) { error in
            XCTAssertTrue(String(describing: error).contains("features[0].n_fft = 2 leaves every mel filter empty"), "\(error)")
        }
    }

    /// Three of the cases through the real `pipe ingest`: exit status 1 (not a signal), the message
    /// on stderr, and no output folder.
    func testThePipeExecutableRefusesThemBeforeAnyWork() throws {
        let folder = try TemporaryFolder.forTest(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        for name in ["n_fft 1", "duration 1e9", "sample rate 2e9"] {
            let c = try XCTUnwrap(Self.cases.first { $0.name == name })
            try TemporaryFolder.write(in: folder, edited(c), to: "bad.yaml")
            let result = try ProcessRunner.pipe(["ingest", "cochlscene", "--pipeline", "bad.yaml", "--data", "data",
                                                 "--out", "store", "--progress", "none"], in: folder)
            XCTAssertFalse(result.signaled, "\(name): killed by signal \(result.status): \(result.err)")
            XCTAssertEqual(result.status, 1, "\(name): \(result.err)")
            XCTAssertTrue(result.err.contains("bad.yaml: ") && result.err.contains(c.message), "\(name): \(result.err)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("store").path),
                           "\(name): an output folder was created")
        }
    }
}
