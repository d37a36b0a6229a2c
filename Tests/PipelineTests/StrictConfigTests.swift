import Foundation
import Pipeline
import XCTest

/// Pipeline files are strict: every unknown key and every impossible value is an error naming the
/// file and the key path (with the nearest known key for a misspelling), found by
/// `PipelineConfig.load` before anything is read or written. On the old code each of these files
/// loaded (the key ignored, a default used) or crashed later in a precondition.
final class StrictConfigTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// A pipeline with one feature entry (YAML flow mapping body), optional extra sections.
    func pipeline(feature: String = "name: m, kind: logmel", audio: String = "sample_rate: 16000, duration: 1.0",
                  extra: String = "") -> String {
        """
        name: x
        inputs: {corpora: [folder]}
        audio: {\(audio)}
        features:
          - {\(feature)}
        output: {shard_rows: 8}
        \(extra)
        """
    }

    /// The message `PipelineConfig.load` throws for `yaml` written to x.yaml; fails if it loads.
    func loadError(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let url = folder.appendingPathComponent("x.yaml")
        do {
            try yaml.write(to: url, atomically: true, encoding: .utf8)
            let config = try PipelineConfig.load(url)
            XCTFail("loaded: \(config.features.map(\.name))", file: file, line: line)
            return ""
        } catch {
            let text = String(describing: error)
            XCTAssertTrue(text.contains("x.yaml: "), "no file name in: \(text)", file: file, line: line)
            return text
        }
    }

    func assertError(_ yaml: String, contains expected: String..., file: StaticString = #filePath, line: UInt = #line) {
        let text = loadError(yaml, file: file, line: line)
        for part in expected { XCTAssertTrue(text.contains(part), "expected '\(part)' in: \(text)", file: file, line: line) }
    }

    func testTheBaselineFileLoads() throws {
        let url = folder.appendingPathComponent("x.yaml")
        try pipeline().write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try PipelineConfig.load(url).features.first?.sampleRate, 16000)
    }

    // MARK: unknown keys

    func testMisspeltFeatureKeysAreRefusedWithTheNearestKey() {
        assertError(pipeline(feature: "name: m, kind: logmel, n_mel: 64"),
                    contains: "unknown key 'n_mel' in features[0]; did you mean 'n_mels'?")
        assertError(pipeline(feature: "name: m, kind: logmel, hop_lenght: 512"),
                    contains: "unknown key 'hop_lenght' in features[0]; did you mean 'hop_length'?")
        // MFCC's entry holds the log-mel keys too: the suggestion sees the union.
        assertError(pipeline(feature: "name: m, kind: mfcc, mel_nrom: null"),
                    contains: "unknown key 'mel_nrom' in features[0]; did you mean 'mel_norm'?")
        assertError(pipeline(feature: "name: m, kind: mfcc, n_mfc: 13"), contains: "did you mean 'n_mfcc'?")
        // ESgram flattens the log-mel and the gate.
        assertError(pipeline(feature: "name: m, kind: esgram, alpah: 2"), contains: "did you mean 'alpha'?")
        assertError(pipeline(feature: "name: m, kind: cqt, n_bin: 84"), contains: "did you mean 'n_bins'?")
        assertError(pipeline(feature: "name: m, kind: gammatone, nfilt: 64"), contains: "did you mean 'nfilts'?")
        assertError(pipeline(feature: "name: m, kind: foa, n_ftt: 1024"), contains: "did you mean 'n_fft'?")
        assertError(pipeline(feature: "name: m, kind: tgram, win_len: 1024"), contains: "unknown key 'win_len' in features[0]")
        assertError(pipeline(feature: "name: m, kind: cpjku_mel, preemphasys: 0.97"), contains: "did you mean 'preemphasis'?")
        // A nested object names its own path.
        assertError(pipeline(feature: "name: m, kind: logmel, db: {ref: 1.0, topdb: 80}"),
                    contains: "unknown key 'topdb' in features[0].db; did you mean 'top_db'?")
    }

    func testAFarKeyGetsNoSuggestion() {
        let text = loadError(pipeline(audio: "sample_rate: 16000, normalise: true"))
        XCTAssertTrue(text.contains("unknown key 'normalise' in audio"), text)
        XCTAssertFalse(text.contains("did you mean"), text)
    }

    func testUnknownSectionsAndKeysOfEverySection() {
        assertError(pipeline(extra: "augmentation: {gain: 2}"), contains: "unknown key 'augmentation' at the top level")
        assertError(pipeline(extra: "ouput: {seed: 1}"), contains: "unknown key 'ouput' at the top level; did you mean 'output'?")
        assertError(pipeline().replacingOccurrences(of: "shard_rows: 8", with: "shard_row: 8"),
                    contains: "unknown key 'shard_row' in output; did you mean 'shard_rows'?")
        assertError(pipeline().replacingOccurrences(of: "{corpora: [folder]}", with: "{corpora: [folder], split: [train]}"),
                    contains: "unknown key 'split' in inputs; did you mean 'splits'?")
        assertError(pipeline(audio: "sample_rate: 16000, durations: 1.0"), contains: "did you mean 'duration'?")
    }

    func testTypeErrorsNameTheKeyPath() {
        assertError(pipeline(feature: "name: m, kind: logmel, n_fft: many"), contains: "features[0].n_fft: expected an integer")
        assertError(pipeline(audio: "sample_rate: fast"), contains: "audio.sample_rate: expected an integer")
        assertError(pipeline(feature: "name: m, kind: logmel, n_mels: null"), contains: "features[0].n_mels: expected an integer")
    }

    // MARK: impossible values

    func testWindowLongerThanTheFFTIsAnErrorNotACrash() {
        // Used to stop the process in Window.padded's precondition.
        assertError(pipeline(feature: "name: m, kind: logmel, n_fft: 2048, win_length: 4096"),
                    contains: "x.yaml: features[0].win_length = 4096 exceeds n_fft = 2048")
        assertError(pipeline(feature: "name: m, kind: mfcc, n_fft: 512, win_length: 1024"), contains: "features[0].win_length = 1024 exceeds n_fft = 512")
        assertError(pipeline(feature: "name: m, kind: foa, n_fft: 512, win_length: 1024"), contains: "features[0].win_length = 1024 exceeds n_fft = 512")
        assertError(pipeline(feature: "name: m, kind: esgram, n_fft: 512, win_length: 1024"), contains: "features[0].win_length = 1024 exceeds n_fft = 512")
        assertError(pipeline(feature: "name: m, kind: cpjku_mel, n_fft: 1024, win_length: 2048, n_mels: 64"),
                    contains: "features[0].win_length = 2048 exceeds n_fft = 1024")
        assertError(pipeline(feature: "name: m, kind: gammatone, win_length: 1024, nfft: 512"), contains: "features[0].nfft = 512")
        // scipy framing: SegmentSpectrogram's precondition nfft ≥ nperseg.
        assertError(pipeline(feature: "name: m, kind: gammatone, framing: scipy, win_length: 1024, nfft: 512"), contains: "features[0].nfft = 512")
    }

    func testSizesMustBePositive() {
        assertError(pipeline(feature: "name: m, kind: logmel, hop_length: 0"), contains: "features[0].hop_length = 0 must be positive")
        assertError(pipeline(feature: "name: m, kind: logmel, n_fft: 0"), contains: "features[0].n_fft = 0 must be positive")
        assertError(pipeline(feature: "name: m, kind: logmel, n_mels: 0"), contains: "features[0].n_mels = 0 must be positive")
        assertError(pipeline(feature: "name: m, kind: logmel, win_length: -5"), contains: "features[0].win_length = -5 must be positive")
        assertError(pipeline(feature: "name: m, kind: logmel, max_frames: 0"), contains: "features[0].max_frames = 0")
        assertError(pipeline(feature: "name: m, kind: mfcc, n_mels: 0"), contains: "features[0].n_mels = 0 must be positive")
        assertError(pipeline(feature: "name: m, kind: mfcc, n_mels: 40, n_mfcc: 41"), contains: "features[0].n_mfcc = 41 must be in 1...n_mels (40)")
        assertError(pipeline(feature: "name: m, kind: mfcc, delta_order: 1, delta_width: 4"), contains: "features[0].delta_width = 4")
        assertError(pipeline(feature: "name: m, kind: cqt, n_bins: 1"), contains: "features[0].n_bins = 1 must be at least 2")
        assertError(pipeline(feature: "name: m, kind: cqt, hop_length: 0"), contains: "features[0].hop_length = 0")
        assertError(pipeline(feature: "name: m, kind: cqt, variant: nnaudio1992v2, bins_per_octave: 0"), contains: "features[0].bins_per_octave = 0")
        assertError(pipeline(feature: "name: m, kind: tgram, hop_length: 0"), contains: "features[0].hop_length = 0")
        assertError(pipeline(feature: "name: m, kind: tgram, padding: -1"), contains: "features[0].padding = -1")
        assertError(pipeline(feature: "name: m, kind: gammatone, thop: 0"), contains: "features[0].thop = 0.0 must be positive")
        assertError(pipeline(feature: "name: m, kind: gammatone, nfilts: 0"), contains: "features[0].nfilts = 0")
        assertError(pipeline(feature: "name: m, kind: cpjku_mel, n_mels: 2"), contains: "features[0].n_mels = 2 must be at least 4")
        assertError(pipeline(feature: "name: m, kind: esgram, n_mels: 8, ddof: 8"), contains: "features[0].ddof = 8")
        assertError(pipeline(feature: "name: m, kind: logmel, sr: 0"), contains: "features[0].sr = 0 must be positive")
    }

    func testRatesAndBands() {
        assertError(pipeline(feature: "name: m, kind: logmel, fmax: 9000"),
                    contains: "features[0].fmax = 9000.0 is above the Nyquist frequency sr/2 = 8000.0")
        assertError(pipeline(feature: "name: m, kind: logmel, fmin: 4000, fmax: 2000"), contains: "features[0].fmin = 4000.0 must be below fmax = 2000.0")
        assertError(pipeline(feature: "name: m, kind: logmel, fmin: 8000"), contains: "features[0].fmin = 8000.0 must be below fmax = sr/2 = 8000.0")
        assertError(pipeline(feature: "name: m, kind: logmel, fmin: -1"), contains: "features[0].fmin = -1.0 must not be negative")
        assertError(pipeline(feature: "name: m, kind: foa, fmax: 20000"), contains: "features[0].fmax = 20000.0 is above the Nyquist")
        assertError(pipeline(feature: "name: m, kind: gammatone, fmax: 8001"), contains: "features[0].fmax = 8001.0")
        assertError(pipeline(feature: "name: m, kind: cpjku_mel, fmax: 9000, n_fft: 1024, win_length: 800, n_mels: 64"), contains: "features[0].fmax = 9000.0")
        // A filter above Nyquist: the transform's constructor refuses it, still before any clip.
        assertError(pipeline(feature: "name: m, kind: cqt, n_bins: 120"), contains: "features[0]: ", "Nyquist")
        // The feature takes the audio rate; a zero rate is refused where it is written.
        assertError(pipeline(audio: "sample_rate: 0"), contains: "audio.sample_rate = 0 must be positive")
    }

    func testNaNAndNonPositiveNumbers() {
        assertError(pipeline(feature: "name: m, kind: logmel, fmin: .nan"), contains: "features[0].fmin = nan must be a finite number")
        assertError(pipeline(feature: "name: m, kind: logmel, power: 0"), contains: "features[0].power = 0.0 must be positive")
        assertError(pipeline(feature: "name: m, kind: logmel, db: {amin: 0}"), contains: "features[0].db.amin = 0.0 must be positive")
        assertError(pipeline(feature: "name: m, kind: logmel, db: {top_db: -1}"), contains: "features[0].db.top_db = -1.0 must not be negative")
        assertError(pipeline(feature: "name: m, kind: cqt, output: db, amin: -1"), contains: "features[0].amin = -1.0")
        assertError(pipeline(feature: "name: m, kind: cqt, filter_scale: .nan"), contains: "features[0].filter_scale = nan")
        assertError(pipeline(feature: "name: m, kind: mfcc, lifter: -2"), contains: "features[0].lifter = -2.0")
        assertError(pipeline(feature: "name: m, kind: cpjku_mel, normalize_scale: 0"), contains: "features[0].normalize_scale = 0.0")
        assertError(pipeline(feature: "name: m, kind: foa, eps: -1"), contains: "features[0].eps = -1.0")
        assertError(pipeline(feature: "name: m, kind: esgram, alpha: 0"), contains: "features[0].alpha = 0.0 must be positive")
    }

    func testAudioAndOutputValues() {
        assertError(pipeline(audio: "sample_rate: 16000, duration: 0"), contains: "audio.duration = 0.0 must be positive")
        assertError(pipeline(audio: "sample_rate: 16000, duration: -1"), contains: "audio.duration = -1.0 must be positive")
        assertError(pipeline(audio: "sample_rate: 16000, duration: .nan"), contains: "audio.duration = nan must be a finite number")
        assertError(pipeline(audio: "sample_rate: 16000, channels: []"), contains: "audio.channels = [] selects no channel")
        assertError(pipeline(audio: "sample_rate: 16000, channels: [0, -1]"), contains: "audio.channels = -1")
        assertError(pipeline(audio: "sample_rate: 16000, expect_channels: [0]"), contains: "audio.expect_channels = 0")
        assertError(pipeline(audio: "sample_rate: 16000, expect_sample_rates: [-8000]"), contains: "audio.expect_sample_rates = -8000")
        assertError(pipeline().replacingOccurrences(of: "shard_rows: 8", with: "shard_rows: 0"),
                    contains: "output.shard_rows = 0 must be positive")
    }

    func testEveryProblemIsReportedAtOnce() {
        let text = loadError(pipeline(feature: "name: m, kind: logmel, hop_length: 0, n_mels: 0"))
        XCTAssertTrue(text.contains("features[0].hop_length = 0") && text.contains("features[0].n_mels = 0"), text)
    }

    /// librosa only warns for empty mel filters, so the pipeline loads and says which bands.
    func testEmptyMelFiltersAreAWarningAsInLibrosa() throws {
        let url = folder.appendingPathComponent("x.yaml")
        try pipeline(feature: "name: m, kind: logmel, n_fft: 256, n_mels: 128").write(to: url, atomically: true, encoding: .utf8)
        let config = try PipelineConfig.load(url)
        let warnings = config.warnings.map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.hasPrefix("features[0].n_mels = 128 gives ") ?? false, "\(warnings)")
        try pipeline().write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try PipelineConfig.load(url).warnings, [])
    }
}
