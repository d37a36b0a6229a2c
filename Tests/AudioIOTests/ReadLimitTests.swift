import AudioIO
import Foundation
import TestSupport
import XCTest

/// Reading stops at what the pipeline keeps, so a long file costs the clip's memory, not the file's,
/// and the clip it gives is the one the whole file would give.
final class ReadLimitTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("readlimit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func write(seconds: Double, rate: Int, channels: Int, name: String) throws -> URL {
        let n = Int(seconds * Double(rate))
        let file = folder.appendingPathComponent(name)
        try AudioFileWriter.write(AudioBuffer(sampleRate: rate, channels: (0..<channels).map {
            TestSignals.noise(n, seed: UInt64($0 + 7)).map { $0 * 0.5 } }), to: file, format: .pcm16)
        return file
    }

    /// 60 s of 48 kHz stereo read for a 10 s clip: the scratch buffer holds 10.5 s, not 60.
    func testMemoryIsBoundedByTheLimit() throws {
        let file = try write(seconds: 60, rate: 48000, channels: 2, name: "long.wav")
        var scratch: [Float] = []
        let decoded = try AudioDecoder.decode(file, channels: .mono, limit: .keeping(duration: 10), scratch: &scratch)
        XCTAssertEqual(decoded.framesRead, 504_000)
        XCTAssertEqual(decoded.buffer.frameCount, 504_000)
        XCTAssertTrue(decoded.reachedLimit)
        XCTAssertEqual(decoded.headerFrames, 2_880_000)
        XCTAssertLessThanOrEqual(scratch.count, 504_000 * 2)

        // The frames kept are the file's first ones.
        var fullScratch: [Float] = []
        let full = try AudioDecoder.decode(file, channels: .mono, scratch: &fullScratch)
        XCTAssertFalse(full.reachedLimit)
        XCTAssertEqual(full.framesRead, 2_880_000)
        XCTAssertEqual(Array(full.buffer.channels[0].prefix(504_000)), decoded.buffer.channels[0])
    }

    /// A file that ends exactly at the limit did not "reach" it: nothing was left unread.
    func testAFileEndingAtTheLimitIsReadWhole() throws {
        let file = try write(seconds: 1, rate: 16000, channels: 1, name: "one.wav")
        var scratch: [Float] = []
        let decoded = try AudioDecoder.decode(file, channels: .keep, limit: ReadLimit(seconds: 1), scratch: &scratch)
        XCTAssertEqual(decoded.framesRead, 16000)
        XCTAssertFalse(decoded.reachedLimit)
    }

    /// The resampler's context past the clip makes the limited read give, sample for sample, the clip
    /// the whole file gives (for every resampler and for up- and down-sampling).
    func testLimitedReadResamplesToTheSameClip() throws {
        let file = try write(seconds: 14, rate: 44100, channels: 1, name: "clip.wav")
        let duration = 10.0
        var scratch: [Float] = []
        let whole = try AudioDecoder.decode(file, channels: .mono, scratch: &scratch).buffer
        let limited = try AudioDecoder.decode(file, channels: .mono, limit: .keeping(duration: duration), scratch: &scratch).buffer
        XCTAssertLessThan(limited.frameCount, whole.frameCount)
        for spec in [try ResamplerSpec(resType: "soxr_hq"), try ResamplerSpec(resType: "soxr_vhq"), try ResamplerSpec(resType: "sinc_best")] {
            let resampler = try spec.makeResampler()
            for rate in [8000, 16000, 48000] {
                let n = Int(duration * Double(rate))
                let a = try whole.resampled(to: rate, with: resampler).fixedLength(n)
                let b = try limited.resampled(to: rate, with: resampler).fixedLength(n)
                XCTAssertEqual(a.channels, b.channels, "\(spec) to \(rate) Hz")
            }
        }
    }

    /// A limit too large to mean anything (NaN, 1e300 s) reads the whole file, without overflow.
    func testAnUnboundedLimitReadsEverything() throws {
        let file = try write(seconds: 0.1, rate: 16000, channels: 64, name: "many.wav")
        var scratch: [Float] = []
        for seconds in [Double.nan, 1e300] {
            let decoded = try AudioDecoder.decode(file, channels: .keep, limit: ReadLimit(seconds: seconds), scratch: &scratch)
            XCTAssertEqual(decoded.framesRead, 1600)
            XCTAssertFalse(decoded.reachedLimit)
        }
    }

    func testFramesAtRate() {
        XCTAssertEqual(ReadLimit(seconds: 10.5).frames(atRate: 44100), 463_050)
        XCTAssertEqual(ReadLimit(seconds: 0).frames(atRate: 44100), 1)
        XCTAssertEqual(ReadLimit(seconds: .nan).frames(atRate: 44100), Int.max / 2)
    }
}

/// The resampler is never asked for what an absurd rate would make it allocate.
final class ResampleRateLimitTests: XCTestCase {
    func testRatesOutsideTheLimitsAreRefusedBeforeResampling() throws {
        let resampler = try ResamplerSpec(resType: "soxr_hq").makeResampler()
        let buffer = AudioBuffer(sampleRate: 1, channels: [TestSignals.noise(32000)])
        XCTAssertThrowsError(try buffer.resampled(to: 44100, with: resampler)) { error in
            XCTAssertTrue(String(describing: error).contains("rate 1 Hz is outside 1000...768000 Hz"), "\(error)")
        }
        let good = AudioBuffer(sampleRate: 16000, channels: [TestSignals.noise(1600)])
        XCTAssertThrowsError(try good.resampled(to: 2_000_000_000, with: resampler))
        XCTAssertEqual(try good.resampled(to: 8000, with: resampler).frameCount, 800)
    }
}
