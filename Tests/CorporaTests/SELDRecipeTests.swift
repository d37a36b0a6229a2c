import AudioIO
import TestSupport
import XCTest
@testable import Corpora

/// STARSS22 and TAU-NIGENS 2021: the published layout, the frame CSVs' quirks by line, dense targets
/// in the baseline's track order, and the synthetic FOA's physics (an event's intensity points at it).
final class SELDRecipeTests: XCTestCase {
    func testSynthSTARSS22ReadsBackWithFoldRoomMixAndTargets() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let summary = try STARSS22Synth().generate(root: dir.url, perClass: 2, seed: 1, durationSeconds: 2)
        let catalog = try STARSS22Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map { $0.message }, [])
        XCTAssertEqual(catalog.recordings.count, summary.filesWritten)
        XCTAssertEqual(catalog.recordings.count, 10, "8 development, 2 evaluation")
        XCTAssertEqual(catalog.classes.count, 13)
        let first = try XCTUnwrap(catalog.recordings.first { $0.id == "starss22/dev-train-sony/fold3_room21_mix001" })
        XCTAssertEqual(first.attributes, ["fold": "3", "room": "21", "mix": "001", "format": "foa"])
        XCTAssertEqual(STARSS22Recipe().datasetSplit(of: first), .train)
        XCTAssertTrue(first.path.hasSuffix("STARSS22/foa_dev/dev-train-sony/fold3_room21_mix001.wav"))
        let test = try XCTUnwrap(catalog.recordings.first { $0.split == "dev-test-tau" })
        XCTAssertEqual(STARSS22Recipe().datasetSplit(of: test), .test)
        XCTAssertEqual(test.attributes?["fold"], "4")

        let annotation = try SELDAnnotation.read(URL(fileURLWithPath: try XCTUnwrap(first.annotation)), classCount: 13, frameCount: 20)
        XCTAssertEqual(annotation.issues.map { $0.message }, [])
        let targets = SELDTargets(events: annotation.events, classes: 13, frames: 20)
        // Class 0 from (-150, -20) in frames 0..<10; class 1 from (-60, 10) in frames 5..<15.
        XCTAssertEqual((0..<20).map { targets.activity[$0 * 13] }, (0..<20).map { $0 < 10 ? 1 : 0 })
        XCTAssertEqual((0..<20).map { targets.activity[$0 * 13 + 1] }, (0..<20).map { (5..<15).contains($0) ? 1 : 0 })
        let a = SELDEvent(frame: 0, classIndex: 0, source: 0, azimuth: -150, elevation: -20).unitVector
        XCTAssertEqual(Array(targets.doa[0..<3]), [a.x, a.y, a.z])
        XCTAssertEqual(Array(targets.doa[(((19 * 3) * 13) * 3)..<(((19 * 3) * 13) * 3 + 3)]), [0, 0, 0])

        let mic = try STARSS22Recipe(format: .mic).catalog(root: dir.url)
        XCTAssertEqual(mic.recordings.count, 10)
        XCTAssertTrue(mic.recordings.allSatisfy { ($0.path.contains("/mic_dev/") || $0.path.contains("/mic_eval/")) && $0.attributes?["format"] == "mic" })

        // STARSS22's evaluation audio without metadata: the unlabeled split, not an issue.
        let eval = try XCTUnwrap(catalog.recordings.first { $0.id == "starss22/eval/mix002" })
        XCTAssertTrue(eval.path.hasSuffix("STARSS22/foa_eval/mix002.wav"))
        XCTAssertNil(eval.annotation)
        XCTAssertEqual(eval.split, "eval")
        XCTAssertEqual(eval.attributes, ["fold": "", "room": "", "mix": "002", "format": "foa"])
        XCTAssertEqual(STARSS22Recipe().datasetSplit(of: eval), .unlabeled)
    }

    /// TAU-NIGENS 2021's evaluation tree as soundata indexes it (`foa_eval/eval-test/mix<NNN>.wav`,
    /// `metadata_eval/mix<NNN>.csv`): labelled recordings of the test split; a CSV without its WAV,
    /// a badly named WAV and a bad line are issues; a WAV without a CSV is unlabeled.
    func testEvalTreeWithAndWithoutMetadata() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        _ = try TAUNIGENS2021Synth().generate(root: dir.url, perClass: 2, seed: 4, durationSeconds: 1)
        let root = "TAU-NIGENS-Spatial-Sound-Events-2021"
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("\(root)/mic_eval/eval-test/mix001.wav").path))
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("\(root)/metadata_eval/mix002.csv"))
        try dir.write("0,1,0,10,0\n", to: "\(root)/metadata_eval/mix009.csv")
        try dir.write("0,1,0,10,0\n0,1,0,200,0\n", to: "\(root)/metadata_eval/mix001.csv")
        try dir.write("", to: "\(root)/foa_eval/eval-test/take1.wav")
        let catalog = try TAUNIGENS2021Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map { $0.message }.sorted(), [
            "mix001.csv line 2: azimuth 200 is outside [-180, 180]",
            "mix009.csv: has no recording in foa_eval/; skipped",
            "take1.wav: cannot parse the name: expected mix<NNN>.wav or fold<N>_room<R>_mix<NNN>.wav; skipped",
        ])
        let first = try XCTUnwrap(catalog.recordings.first { $0.id == "tau-nigens2021/eval-test/mix001" })
        XCTAssertEqual(first.annotation, dir.url.appendingPathComponent("\(root)/metadata_eval/mix001.csv").path)
        XCTAssertEqual(TAUNIGENS2021Recipe().datasetSplit(of: first), .test)
        let second = try XCTUnwrap(catalog.recordings.first { $0.id == "tau-nigens2021/eval-test/mix002" })
        XCTAssertNil(second.annotation)
        XCTAssertEqual(TAUNIGENS2021Recipe().datasetSplit(of: second), .unlabeled)
        XCTAssertEqual(catalog.recordings.count, 6 + 2)
        // The MIC format reads mic_eval/ with the same metadata.
        let mic = try TAUNIGENS2021Recipe(format: .mic).catalog(root: dir.url)
        XCTAssertEqual(mic.recordings.filter { $0.split == "eval-test" }.map(\.path).sorted(),
                       ["mix001", "mix002"].map { dir.url.appendingPathComponent("\(root)/mic_eval/eval-test/\($0).wav").path })
    }

    /// The synthetic FOA is physical: while only event A sounds, the active intensity (W·X, W·Y, W·Z)
    /// points at A's direction, for every direction the generator uses.
    func testSynthFOAIntensityPointsAtTheEvent() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        _ = try TAUNIGENS2021Synth().generate(root: dir.url, perClass: 2, seed: 3, durationSeconds: 2)
        let catalog = try TAUNIGENS2021Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map { $0.message }, [])
        XCTAssertEqual(Set(catalog.recordings.map { TAUNIGENS2021Recipe().datasetSplit(of: $0) }), [.train, .validation, .test])
        for (g, recording) in catalog.recordings.sorted(by: { $0.path < $1.path }).enumerated() {
            let audio = try AudioDecoder.decode(URL(fileURLWithPath: recording.path))
            XCTAssertEqual(audio.channels.count, 4)
            XCTAssertEqual(audio.sampleRate, 24_000)
            // Frames 0..<5 (the first quarter) hold event A only.
            let n = 5 * 2_400
            var ix = 0.0, iy = 0.0, iz = 0.0
            for t in 0..<n {
                let w = Double(audio.channels[0][t])
                iy += w * Double(audio.channels[1][t])
                iz += w * Double(audio.channels[2][t])
                ix += w * Double(audio.channels[3][t])
            }
            let norm = (ix * ix + iy * iy + iz * iz).squareRoot()
            let events = try SELDAnnotation.read(URL(fileURLWithPath: try XCTUnwrap(recording.annotation)), classCount: 12, frameCount: nil).events
            let a = try XCTUnwrap(events.first { $0.frame == 0 })
            let v = a.unitVector
            _ = g
            XCTAssertEqual(ix / norm, Double(v.x), accuracy: 2e-3, recording.id)
            XCTAssertEqual(iy / norm, Double(v.y), accuracy: 2e-3, recording.id)
            XCTAssertEqual(iz / norm, Double(v.z), accuracy: 2e-3, recording.id)
        }
    }

    func testFrameCSVQuirksAreReportedByLineAndDropOnlyThatLine() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let root = "STARSS22"
        let wav = dir.url.appendingPathComponent("\(root)/foa_dev/dev-train-sony/fold3_room21_mix001.wav")
        try FileManager.default.createDirectory(at: wav.deletingLastPathComponent(), withIntermediateDirectories: true)
        // 1 s at 24 kHz: 10 label frames.
        try AudioFileWriter.write(AudioBuffer(sampleRate: 24_000, channels: [[Float]](repeating: [Float](repeating: 0.1, count: 24_000), count: 4)),
                                  to: wav, format: .pcm16)
        try dir.write("""
            0,1,1,-98,-16
            1, 8, 0, -40, 0
            12,1,1,10,0
            2,13,0,10,0
            3,1,0,200,0
            3,1,0,10,-95
            4,x,0,10,0
            5,1,0
            6,1,0,10,0
            6,1,1,20,0
            6,2,2,30,0
            6,3,3,40,0
            7,1,0,10,0,150

            """, to: "\(root)/metadata_dev/dev-train-sony/fold3_room21_mix001.csv")
        try dir.write("", to: "\(root)/foa_dev/dev-train-sony/fold3_room21_mix002.wav")
        try dir.write("0,1,0,0,0\n", to: "\(root)/metadata_dev/dev-test-sony/fold4_room23_mix001.csv")
        try dir.write("", to: "\(root)/foa_dev/dev-train-sony/mix003.wav")

        let catalog = try STARSS22Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map { $0.id }, ["starss22/dev-train-sony/fold3_room21_mix001"])
        XCTAssertEqual(catalog.issues.map { $0.message }.sorted(), [
            "fold3_room21_mix001.csv line 3: frame 12 is past the end of the audio (10 label frames of 0.1 s)",
            "fold3_room21_mix001.csv line 4: class index 13 is not in 0...12",
            "fold3_room21_mix001.csv line 5: azimuth 200 is outside [-180, 180]",
            "fold3_room21_mix001.csv line 6: elevation -95 is outside [-90, 90]",
            "fold3_room21_mix001.csv line 7: '4,x,0,10,0' is not five integers",
            "fold3_room21_mix001.csv line 8: expected 5 comma-separated integers (frame, class, source, azimuth, elevation), found 3 fields",
            "fold3_room21_mix001.csv line 12: a fourth event in frame 6: the targets hold 3 tracks",
            "fold3_room21_mix002.wav: has no metadata metadata_dev/dev-train-sony/fold3_room21_mix002.csv; skipped",
            "mix003.wav: cannot parse the name: expected fold<N>_room<R>_mix<NNN>.wav; skipped",
            "fold4_room23_mix001.csv: has no recording foa_dev/dev-test-sony/fold4_room23_mix001.wav; skipped",
        ].sorted())
        let events = try SELDAnnotation.read(URL(fileURLWithPath: try XCTUnwrap(catalog.recordings.first?.annotation)),
                                             classCount: 13, frameCount: 10).events
        // The spaced line (README style) and the 6-column line (distance) are read; the bad ones dropped.
        XCTAssertEqual(events.map { $0.frame }, [0, 1, 6, 6, 6, 7])
        XCTAssertEqual(events[1], SELDEvent(frame: 1, classIndex: 8, source: 0, azimuth: -40, elevation: 0))
    }

    /// Overlapping events of one class: tracks 0, 1, 2 of `doa` in file order; ADPIT puts one event in
    /// track 0, two in 1–2, three in 3–5 (`get_adpit_labels_for_file`).
    func testTrackOrderFollowsTheBaseline() {
        let events = [
            SELDEvent(frame: 0, classIndex: 2, source: 0, azimuth: 0, elevation: 0),
            SELDEvent(frame: 1, classIndex: 2, source: 0, azimuth: 90, elevation: 0),
            SELDEvent(frame: 1, classIndex: 0, source: 1, azimuth: 0, elevation: 90),
            SELDEvent(frame: 1, classIndex: 2, source: 1, azimuth: 180, elevation: 0),
            SELDEvent(frame: 2, classIndex: 2, source: 0, azimuth: 0, elevation: 0),
            SELDEvent(frame: 2, classIndex: 2, source: 1, azimuth: 90, elevation: 0),
            SELDEvent(frame: 2, classIndex: 2, source: 2, azimuth: -90, elevation: 0),
        ]
        let c = 3
        let targets = SELDTargets(events: events, classes: c, frames: 4)
        func doa(_ t: Int, _ track: Int, _ k: Int) -> [Float] {
            let base = ((t * 3 + track) * c + k) * 3
            return Array(targets.doa[base..<(base + 3)]).map { ($0 * 1e4).rounded() / 1e4 }
        }
        func adpit(_ t: Int, _ track: Int, _ k: Int) -> [Float] {
            (0..<4).map { (targets.adpit[((t * 6 + track) * 4 + $0) * c + k] * 1e4).rounded() / 1e4 }
        }
        XCTAssertEqual(doa(1, 0, 2), [0, 1, 0])
        XCTAssertEqual(doa(1, 1, 2), [-1, 0, 0])
        XCTAssertEqual(doa(1, 0, 0), [0, 0, 1])
        XCTAssertEqual(doa(2, 2, 2), [0, -1, 0])
        XCTAssertEqual(adpit(0, 0, 2), [1, 1, 0, 0])
        XCTAssertEqual(adpit(1, 0, 2), [0, 0, 0, 0])
        XCTAssertEqual(adpit(1, 1, 2), [1, 0, 1, 0])
        XCTAssertEqual(adpit(1, 2, 2), [1, -1, 0, 0])
        XCTAssertEqual(adpit(1, 0, 0), [1, 0, 0, 1])
        XCTAssertEqual(adpit(2, 3, 2), [1, 1, 0, 0])
        XCTAssertEqual(adpit(2, 5, 2), [1, 0, -1, 0])
        XCTAssertEqual(targets.activity, [0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0])
        // A window from label frame 1: frame 0 of the targets is frame 1 of the recording.
        let window = SELDTargets(events: events, classes: c, frames: 2, start: 1)
        XCTAssertEqual(window.activity, [1, 0, 1, 0, 0, 1])
    }
}
