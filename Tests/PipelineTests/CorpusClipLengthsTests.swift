import AudioIO
import Corpora
import Foundation
import TestSupport
import XCTest
@testable import Pipeline

/// The rule for corpora of different clip lengths read at once: alike within a factor 1.5, else an
/// error unless the pipeline cuts segments (or keeps each recording whole); lengths measured from
/// headers when the recipe has none.
final class CorpusClipLengthsTests: XCTestCase {
    func length(_ corpus: String, _ seconds: Double) -> CorpusClipLengths.Length {
        CorpusClipLengths.Length(corpus: corpus, typical: seconds, range: seconds...seconds, declared: true)
    }

    func testOnlyLengthsThePipelineCannotMakeAlikeAreRefused() throws {
        var audio = AudioPolicy(sampleRate: 16_000, duration: 10)
        // DCASE 2020 T2's 10- and 11-s clips with 10-s clips: alike.
        XCTAssertNoThrow(try CorpusClipLengths(lengths: [length("dcase2020t2", 11), length("tau2020", 10)]).check(audio, pipeline: "p"))
        let mixed = CorpusClipLengths(lengths: [length("tau2022", 1), length("cas2023", 10)])
        XCTAssertThrowsError(try mixed.check(audio, pipeline: "p")) { error in
            XCTAssertTrue("\(error)".contains("tau2022 1 s: padded to 10 s; cas2023 10 s: kept"), "\(error)")
        }
        audio.duration = 1
        XCTAssertThrowsError(try mixed.check(audio, pipeline: "ds-flexinet")) { error in
            XCTAssertTrue("\(error)".contains("tau2022 1 s: kept; cas2023 10 s: cut to its first 1 s) under pipeline 'ds-flexinet'"), "\(error)")
        }
        audio.segmentHop = 1
        XCTAssertNoThrow(try mixed.check(audio, pipeline: "p"), "segments make them alike")
        audio.segmentHop = nil
        audio.duration = nil
        XCTAssertNoThrow(try mixed.check(audio, pipeline: "p"), "nothing is cut or padded without a fixed duration")
        XCTAssertNoThrow(try CorpusClipLengths(lengths: [length("tau2022", 1)]).check(AudioPolicy(duration: 1), pipeline: "p"))
    }

    /// Without a published length, the median of up to 16 files' headers, spread over the catalog;
    /// unreadable files are skipped.
    func testMeasuredFromTheHeaders() throws {
        let folder = try TemporaryFolder.forTest(self, label: "lengths")
        var recordings: [Recording] = []
        for (i, seconds) in [2.0, 3.0, 3.0, 3.0, 9.0].enumerated() {
            let url = folder.appendingPathComponent("c\(i).wav")
            try AudioFileWriter.write(AudioBuffer(sampleRate: 8000, channels: [[Float](repeating: 0.1, count: Int(seconds * 8000))]),
                                      to: url, format: .pcm16)
            recordings.append(Recording(id: "x/\(i)", corpus: "x", path: url.path, label: nil, split: "all"))
        }
        recordings.append(Recording(id: "x/missing", corpus: "x", path: folder.appendingPathComponent("none.wav").path, label: nil, split: "all"))
        let measured = try XCTUnwrap(CorpusClipLengths.measure(corpus: "x", declared: nil, recordings: recordings))
        XCTAssertEqual(measured.typical, 3)
        XCTAssertEqual(measured.range, 2...9)
        XCTAssertFalse(measured.declared)
        XCTAssertEqual(measured.text, "x 3 s (2 s–9 s)")
        XCTAssertEqual(CorpusClipLengths.measure(corpus: "tau2022", declared: 1, recordings: [])?.typical, 1)
        XCTAssertNil(CorpusClipLengths.measure(corpus: "x", declared: nil, recordings: []))
    }
}
