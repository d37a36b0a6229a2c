import AudioIO
import Foundation
import TestSupport
import XCTest

final class AudioDecoderTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try TemporaryFolder.forTest(self, label: "audioio")
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// Every format round-trips; integer PCM comes back scaled by 1/2^(bits-1) as soundfile does.
    func testRoundTripEveryFormat() throws {
        let left = TestSignals.chirp(4800, sr: 48000), right = TestSignals.noise(4800)
        let buffer = AudioBuffer(sampleRate: 48000, channels: [left, right])
        for (format, ext, step) in [(SampleFormat.pcm16, "wav", 1.0 / 32768), (.pcm24, "wav", 1.0 / 8_388_608),
                                    (.pcm32, "wav", 1.0 / 2_147_483_648), (.float32, "wav", 0), (.pcm16, "flac", 1.0 / 32768)] {
            let file = url("x-\(format.rawValue).\(ext)")
            try AudioFileWriter.write(buffer, to: file, format: format)
            let decoded = try AudioDecoder.decode(file)
            XCTAssertEqual(decoded.sampleRate, 48000)
            XCTAssertEqual(decoded.channelCount, 2)
            XCTAssertEqual(decoded.frameCount, 4800)
            for c in 0..<2 {
                for i in stride(from: 0, to: 4800, by: 97) {
                    let original = Double(buffer.channels[c][i]), got = Double(decoded.channels[c][i])
                    XCTAssertEqual(got, original, accuracy: step, "\(format) \(ext) ch\(c)[\(i)]")
                    // Quantised values are exact multiples of the step: the scaling is 1/2^(bits-1).
                    if step > 0 { XCTAssertEqual((got / step).rounded(), got / step, accuracy: 1e-6) }
                }
            }
        }
    }

    func testMissingFileNamesThePath() {
        let file = url("absent.wav")
        XCTAssertThrowsError(try AudioDecoder.decode(file)) { error in
            XCTAssertEqual(error as? AudioError, .cannotOpen(path: file.path, reason: "no such file"))
            XCTAssertTrue(String(describing: error).contains("absent.wav"))
        }
    }

    func testCorruptFileIsRejectedWithReason() throws {
        let file = url("corrupt.wav")
        try Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEthis is not audio at all".utf8).write(to: file)
        XCTAssertThrowsError(try AudioDecoder.decode(file)) { error in
            guard case .cannotOpen(let path, let reason)? = error as? AudioError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, file.path)
            XCTAssertFalse(reason.isEmpty)
        }
    }

    func testZeroLengthFile() throws {
        let empty = url("empty.wav")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
        XCTAssertThrowsError(try AudioDecoder.decode(empty)) { error in
            XCTAssertTrue(String(describing: error).contains("empty.wav"))
        }
        // A valid header with no frames.
        let noFrames = url("noframes.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: [[]]), to: noFrames, format: .pcm16)
        XCTAssertThrowsError(try AudioDecoder.decode(noFrames)) { error in
            XCTAssertEqual(error as? AudioError, .empty(path: noFrames.path))
        }
    }

    /// A file cut short after its header promised more frames: rejected, not zero-filled.
    func testTruncatedFile() throws {
        let file = url("full.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: [TestSignals.noise(16000)]), to: file, format: .pcm16)
        var data = try Data(contentsOf: file)
        data.removeLast(10_000)
        let cut = url("cut.wav")
        try data.write(to: cut)
        // libsndfile trims the length to the file; the header's data chunk still says 16000 frames.
        XCTAssertThrowsError(try AudioDecoder.decode(cut)) { error in
            XCTAssertEqual(error as? AudioError, .truncated(path: cut.path, expectedFrames: 16000, readFrames: (32044 - 10_000 - 44) / 2))
        }
    }

    func testNaNSamplesAreRejected() throws {
        var samples = TestSignals.noise(1000)
        samples[321] = .nan
        let file = url("nan.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: [samples]), to: file, format: .float32)
        XCTAssertThrowsError(try AudioDecoder.decode(file)) { error in
            XCTAssertEqual(error as? AudioError, .nonFinite(path: file.path, firstBadSample: 321))
        }
    }

    func testChannelPolicies() throws {
        let a: [Float] = [1, 2, 3], b: [Float] = [3, 4, 6], c: [Float] = [0.5, 0, 1]
        let buffer = AudioBuffer(sampleRate: 8000, channels: [a, b, c])
        XCTAssertEqual(try ChannelPolicy.mono.apply(to: buffer, path: "x").channels, [[Float(4.5) / 3, 2, Float(10) / 3]])
        XCTAssertEqual(try ChannelPolicy.select([2, 0]).apply(to: buffer, path: "x").channels, [c, a])
        XCTAssertEqual(try ChannelPolicy.keep.apply(to: buffer, path: "x").channels, [a, b, c])
        XCTAssertThrowsError(try ChannelPolicy.select([3]).apply(to: buffer, path: "x.wav")) { error in
            XCTAssertEqual(String(describing: error), "x.wav: channel 3 selected but the file has 3 channels")
        }
    }

    func testFixLengthPadsAndTruncatesAtTheEnd() {
        XCTAssertEqual([Float](arrayLiteral: 1, 2, 3).fixedLength(5), [1, 2, 3, 0, 0])
        XCTAssertEqual([Float](arrayLiteral: 1, 2, 3).fixedLength(2), [1, 2])
    }
}
