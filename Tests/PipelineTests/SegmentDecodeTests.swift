import AudioIO
import Foundation
@testable import Pipeline
import TestSupport
import XCTest

/// A segment of a long recording (`audio.segment_hop`) is decoded from a seek to its start less the
/// resampler's context, not from the file's start, and the audio it gives is unchanged:
/// - at the file's own rate it is exactly the whole decode's slice (zero-padded at the end);
/// - resampled, it is bit for bit what decoding from the file's start, keeping the same context and
///   resampling that span gave before the seek (the segment is resampled with 0.5 s of context on
///   each side, not as part of the whole file: `ReadLimit.resamplerContext`), and within
///   `resampledTolerance` of the slice of the whole file resampled at once.
final class SegmentDecodeTests: XCTestCase {
    /// The difference from the whole-file resampling allowed: soxr_hq on full-band noise gave at most
    /// 1.6e-7 (float rounding; the context makes the windowed-sinc filter see the same input).
    static let resampledTolerance: Float = 1e-6

    var folder: URL!

    override func setUpWithError() throws {
        folder = try TemporaryFolder.forTest(self, label: "segments")
    }

    func write(seconds: Double, rate: Int) throws -> URL {
        let n = Int(seconds * Double(rate))
        let file = folder.appendingPathComponent("rec-\(rate).wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: rate, channels: (0..<4).map {
            TestSignals.noise(n, seed: UInt64($0 + 11)).map { $0 * 0.6 } }), to: file, format: .pcm16)
        return file
    }

    func policy() -> AudioPolicy {
        AudioPolicy(sampleRate: 24_000, channels: .keep, duration: 5, resampler: .init(backend: .soxr, quality: .hq),
                    expectChannels: [4], segmentHop: 3.5)
    }

    /// Segment `start` the way it was made before the seek: decoded from the file's start up to its
    /// end plus context, sliced from `start - context`, resampled, the context dropped.
    func fromTheStart(_ file: URL, start: Double, loader: ClipLoader) throws -> AudioBuffer {
        var scratch: [Float] = []
        let decoded = try AudioDecoder.decode(file, channels: .keep, limit: .keeping(duration: start + 5), scratch: &scratch)
        let rate = decoded.buffer.sampleRate
        let startFrame = Int((start * Double(rate)).rounded())
        let first = max(0, min(decoded.buffer.frameCount, startFrame - Int((ReadLimit.resamplerContext * Double(rate)).rounded())))
        let lead = min(decoded.buffer.frameCount, startFrame) - first
        let sliced = AudioBuffer(sampleRate: rate, channels: decoded.buffer.channels.map { Array($0[first...]) })
        var timing = ClipLoader.Timing()
        return try loader.prepare(sliced, rate: 24_000, leadFrames: lead, timing: &timing)
    }

    func seeked(_ file: URL, start: Double, loader: ClipLoader) throws -> (AudioBuffer, ClipLoader.Clip) {
        var scratch: [Float] = []
        var timing = ClipLoader.Timing()
        let clip = try loader.decode(file.path, startSeconds: start, scratch: &scratch, timing: &timing)
        return (try loader.prepare(clip.buffer, rate: 24_000, leadFrames: clip.leadFrames, timing: &timing), clip)
    }

    func testSegmentsAtTheFileRateAreSlicesOfTheWholeDecode() throws {
        let file = try write(seconds: 16, rate: 24_000)
        let loader = try ClipLoader(policy: policy())
        let whole = try AudioDecoder.decode(file)
        // Segments start every 3.5 s; the last (14 s) runs past the end and is zero-padded.
        for start in stride(from: 0.0, through: 14.0, by: 3.5) {
            let (segment, clip) = try seeked(file, start: start, loader: loader)
            XCTAssertEqual(clip.fileFrames, 384_000, "segment \(start): the file's length, not the span read")
            XCTAssertLessThanOrEqual(clip.buffer.frameCount, 6 * 24_000, "segment \(start): only its span is decoded")
            let from = Int(start * 24_000)
            for c in 0..<4 {
                var expected = Array(whole.channels[c][from..<min(whole.frameCount, from + 120_000)])
                expected += [Float](repeating: 0, count: 120_000 - expected.count)
                XCTAssertEqual(segment.channels[c], expected, "segment \(start) channel \(c)")
            }
            XCTAssertEqual(segment.channels, try fromTheStart(file, start: start, loader: loader).channels)
        }
    }

    func testResampledSegmentsAreUnchangedByTheSeek() throws {
        for rate in [48_000, 44_100] {
            let file = try write(seconds: 12, rate: rate)
            let loader = try ClipLoader(policy: policy())
            let whole = try AudioDecoder.decode(file).resampled(to: 24_000, with: try ResamplerSpec(backend: .soxr, quality: .hq).makeResampler())
            var worst: Float = 0
            for start in stride(from: 0.0, through: 10.5, by: 3.5) {
                let (segment, _) = try seeked(file, start: start, loader: loader)
                XCTAssertEqual(segment.channels, try fromTheStart(file, start: start, loader: loader).channels, "\(rate) Hz segment \(start)")
                let from = Int(start * 24_000)
                for c in 0..<4 {
                    let count = min(120_000, whole.frameCount - from)
                    for t in 0..<count { worst = max(worst, abs(segment.channels[c][t] - whole.channels[c][from + t])) }
                }
            }
            print("segment vs whole-file resampling, \(rate) Hz -> 24 kHz: max |difference| \(worst)")
            XCTAssertLessThan(worst, Self.resampledTolerance, "\(rate) Hz")
        }
    }
}
