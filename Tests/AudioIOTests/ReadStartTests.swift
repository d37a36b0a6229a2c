import AudioIO
import Foundation
import TestSupport
import XCTest

/// A decode from a `ReadStart` seeks: it gives exactly the frames of the whole decode from there, its
/// memory is that of the span read, not of the file up to it, and the limit still counts from the
/// file's start.
final class ReadStartTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try TemporaryFolder.forTest(self, label: "readstart")
    }

    func write(seconds: Double, rate: Int, channels: Int, format: SampleFormat, name: String) throws -> URL {
        let n = Int(seconds * Double(rate))
        let file = folder.appendingPathComponent(name)
        try AudioFileWriter.write(AudioBuffer(sampleRate: rate, channels: (0..<channels).map {
            TestSignals.noise(n, seed: UInt64($0 + 3)).map { $0 * 0.5 } }), to: file, format: format)
        return file
    }

    func testSeekedDecodeIsTheSliceOfTheWholeDecode() throws {
        for format in [SampleFormat.pcm16, .pcm24, .float32] {
            let file = try write(seconds: 20, rate: 24000, channels: 4, format: format, name: "long-\(format).wav")
            let whole = try AudioDecoder.decode(file)
            var scratch: [Float] = []
            let start = ReadStart(seconds: 12.3, leadSeconds: 0.5)
            let decoded = try AudioDecoder.decode(file, channels: .keep, limit: .keeping(duration: 12.3 + 5),
                                                  start: start, scratch: &scratch)
            XCTAssertEqual(decoded.firstFrame, 283_200, "\(format): 11.8 s at 24 kHz")
            XCTAssertEqual(decoded.endFrame, 427_200, "\(format): 17.8 s = 12.3 + 5 + 0.5")
            XCTAssertEqual(decoded.framesRead, 144_000)
            XCTAssertTrue(decoded.reachedLimit)
            XCTAssertEqual(decoded.headerFrames, 480_000)
            for c in 0..<4 {
                XCTAssertEqual(decoded.buffer.channels[c], Array(whole.channels[c][283_200..<427_200]), "\(format) channel \(c)")
            }
            // The scratch holds the 6 s read (4 channels), not the 17.8 s up to its end.
            XCTAssertLessThanOrEqual(scratch.count, 144_000 * 4)

            // Mixed to mono while de-interleaving, as a clip is.
            var monoScratch: [Float] = []
            let mono = try AudioDecoder.decode(file, channels: .mono, limit: .keeping(duration: 12.3 + 5), start: start, scratch: &monoScratch)
            let w = whole.channels
            let expected: [Float] = (283_200..<427_200).map { (t: Int) -> Float in
                var sum: Float = w[0][t]
                for c in 1..<4 { sum += w[c][t] }
                return sum / 4
            }
            XCTAssertEqual(mono.buffer.channels[0], expected, "\(format) mono")
        }
    }

    /// The lead is clamped at the file's start; without a limit the read goes to the end; a start past
    /// the end reads nothing, which is the decoder's "no frames" error naming the file.
    func testEdgesOfTheFile() throws {
        let file = try write(seconds: 2, rate: 16000, channels: 1, format: .pcm16, name: "short.wav")
        let whole = try AudioDecoder.decode(file)
        var scratch: [Float] = []
        let early = try AudioDecoder.decode(file, channels: .keep, start: ReadStart(seconds: 0.2, leadSeconds: 0.5), scratch: &scratch)
        XCTAssertEqual(early.firstFrame, 0)
        XCTAssertEqual(early.buffer.channels[0], whole.channels[0])
        let tail = try AudioDecoder.decode(file, channels: .keep, start: ReadStart(seconds: 1.5, leadSeconds: 0), scratch: &scratch)
        XCTAssertEqual(tail.firstFrame, 24_000)
        XCTAssertFalse(tail.reachedLimit)
        XCTAssertEqual(tail.buffer.channels[0], Array(whole.channels[0][24_000...]))
        XCTAssertThrowsError(try AudioDecoder.decode(file, channels: .keep, start: ReadStart(seconds: 3, leadSeconds: 0), scratch: &scratch)) {
            XCTAssertTrue(String(describing: $0).contains("short.wav"), "\($0)")
        }
    }
}
