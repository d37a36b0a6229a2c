import AudioIO
import Foundation
import TestSupport
import XCTest

/// Files as real corpora break them — cut downloads, streamed encoders, flipped header bytes, things
/// that are not files — each built here from a good file libsndfile wrote. Every one is a rejection
/// naming the file (or, where the file is legal, a full decode); none may crash, hang or allocate
/// from what a header claims.
final class HostileAudioTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// A file libsndfile writes: `seconds` of noise at `rate`, `channels` channels.
    @discardableResult
    func write(_ name: String, seconds: Double = 1, rate: Int = 16000, channels: Int = 1,
               format: SampleFormat = .pcm16) throws -> URL {
        let n = Int(seconds * Double(rate))
        let buffer = AudioBuffer(sampleRate: rate, channels: (0..<channels).map {
            TestSignals.noise(n, seed: UInt64($0 + 1)).map { $0 * 0.5 } })
        let file = url(name)
        try AudioFileWriter.write(buffer, to: file, format: format)
        return file
    }

    /// A copy of `file` keeping the first `fraction` of its bytes.
    func cut(_ file: URL, to fraction: Double, as name: String) throws -> URL {
        let data = try Data(contentsOf: file)
        let out = url(name)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: out)
        return out
    }

    /// A copy of `file` with `edit` applied to its bytes.
    func patched(_ file: URL, as name: String, _ edit: (inout [UInt8]) -> Void) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: file))
        edit(&bytes)
        let out = url(name)
        try Data(bytes).write(to: out)
        return out
    }

    func decode(_ file: URL, limit: ReadLimit? = nil) throws -> AudioDecoder.Decoded {
        var scratch: [Float] = []
        return try AudioDecoder.decode(file, channels: .keep, limit: limit, scratch: &scratch)
    }

    /// The rejection's `AudioError`, after checking it names the file.
    func rejection(_ file: URL, limit: ReadLimit? = nil, line: UInt = #line) -> AudioError? {
        do {
            let decoded = try decode(file, limit: limit)
            XCTFail("\(file.lastPathComponent) was accepted with \(decoded.framesRead) frames", line: line)
            return nil
        } catch let error as AudioError {
            XCTAssertEqual(error.path, file.path, line: line)
            XCTAssertTrue(String(describing: error).hasPrefix(file.path), "\(error)", line: line)
            return error
        } catch {
            XCTFail("not an AudioError: \(error)", line: line)
            return nil
        }
    }

    // MARK: Headers that lie about the length

    /// A cut Ogg Vorbis reports `frames = INT64_MAX`; the old decoder allocated that and crashed.
    func testTruncatedOggVorbisIsRejected() throws {
        let full = try write("full.ogg", seconds: 10, rate: 44100, channels: 2)
        XCTAssertEqual(try decode(full).framesRead, 441_000)
        for percent in [5, 30, 50, 90, 99] {
            let cut = try cut(full, to: Double(percent) / 100, as: "cut\(percent).ogg")
            guard let error = rejection(cut) else { continue }
            switch error {
            case .cannotOpen, .unterminated, .empty, .decodeFailed: break
            default: XCTFail("\(percent) %: \(error)")
            }
            if percent >= 50 {
                XCTAssertEqual(error.reason.prefix(10), "truncated:", "\(percent) %: \(error)")
                // Also when reading stops at a limit well before the cut.
                XCTAssertEqual(rejection(cut, limit: ReadLimit(seconds: 0.5))?.reason.prefix(10), "truncated:", "\(percent) %")
            }
        }
    }

    /// A FLAC whose STREAMINFO says 0 samples is legal (streaming encoders write it): libsndfile
    /// reports `frames = INT64_MAX`, and the file is read to its real end.
    func testStreamedFLACWithZeroSamplesInStreamInfoIsReadToItsEnd() throws {
        let full = try write("full.flac", seconds: 2, rate: 16000, channels: 2)
        let streamed = try patched(full, as: "streamed.flac") { b in
            // fLaC, block header (4), then STREAMINFO: the 36-bit total starts at bit 4 of byte 21.
            b[21] &= 0xF0
            for i in 22...25 { b[i] = 0 }
        }
        let decoded = try decode(streamed)
        XCTAssertNil(decoded.headerFrames)
        XCTAssertEqual(decoded.framesRead, 32000)
        XCTAssertEqual(decoded.buffer.channels, try decode(full).buffer.channels)
    }

    /// A FLAC header claiming 2³⁶−1 samples (a 275 GB allocation before) is truncated against what the file holds.
    func testFLACClaimingHugeLengthIsTruncated() throws {
        let full = try write("full.flac", seconds: 1, rate: 16000)
        let lying = try patched(full, as: "lying.flac") { b in
            b[21] |= 0x0F
            for i in 22...25 { b[i] = 0xFF }
        }
        XCTAssertEqual(rejection(lying), .truncated(path: lying.path, expectedFrames: (1 << 36) - 1, readFrames: 16000))
    }

    /// libsndfile trims a cut WAV to the file, so the old decoder zero-padded it in silence.
    func testWAVCutAt50And90PercentIsTruncated() throws {
        let full = try write("full.wav", seconds: 1, rate: 16000)  // 44-byte header + 32000 bytes
        for (percent, held) in [(50, (32044 / 2 - 44) / 2), (90, (32044 * 9 / 10 - 44) / 2)] {
            let cut = try cut(full, to: Double(percent) / 100, as: "cut\(percent).wav")
            XCTAssertEqual(rejection(cut), .truncated(path: cut.path, expectedFrames: 16000, readFrames: held))
            XCTAssertEqual(rejection(cut)?.reason, "truncated: header says 16000 frames, file holds \(held)")
            // Also when reading stops at a limit before the cut.
            XCTAssertEqual(rejection(cut, limit: ReadLimit(seconds: 0.1)),
                           .truncated(path: cut.path, expectedFrames: 16000, readFrames: held))
        }
    }

    func testAIFFCutIsTruncated() throws {
        let full = try write("full.aiff", seconds: 1, rate: 16000)
        let cut = try cut(full, to: 0.5, as: "cut.aiff")
        guard case .truncated(_, let expected, let held)? = rejection(cut) else { return XCTFail() }
        XCTAssertEqual(expected, 16000)
        XCTAssertLessThan(held, 8100)
    }

    /// A float WAV whose data chunk was cut mid-frame or whose size field says 0xFFFFFFFF (streamed) is no claim.
    func testStreamedWAVLengthMarkIsNotAClaim() throws {
        let full = try write("full.wav", seconds: 1, rate: 16000)
        let streamed = try patched(full, as: "streamed.wav") { b in for i in 40...43 { b[i] = 0xFF } }
        XCTAssertEqual(try decode(streamed).framesRead, 16000)
    }

    // MARK: Headers with impossible facts

    /// A 2-s WAV whose header says 1 Hz asked the resampler for 16 GB; 1 Hz is no audio rate.
    func testAbsurdSampleRatesAreRejected() throws {
        let full = try write("full.wav", seconds: 2, rate: 16000)
        for rate in [1, 999, 768_001, 2_000_000_000] {
            let file = try patched(full, as: "rate\(rate).wav") { b in
                for i in 0..<4 { b[24 + i] = UInt8((rate >> (8 * i)) & 0xFF) }
            }
            XCTAssertEqual(rejection(file), .unsupportedSampleRate(path: file.path, found: rate), "\(rate)")
        }
        // The bounds themselves are rates.
        for rate in [1000, 768_000] {
            let file = try patched(full, as: "ok\(rate).wav") { b in
                for i in 0..<4 { b[24 + i] = UInt8((rate >> (8 * i)) & 0xFF) }
            }
            XCTAssertEqual(try decode(file).buffer.sampleRate, rate)
        }
    }

    /// One flipped exponent bit in an AIFF's 80-bit rate multiplies it by 2⁸ or 2⁻⁸.
    func testAIFFWithAFlippedRateByteIsRejected() throws {
        let full = try write("full.aiff", seconds: 1, rate: 44100)
        let bytes = [UInt8](try Data(contentsOf: full))
        // FORM(12) COMM id+size(8) channels(2) frames(4) bits(2): the 10-byte rate's exponent low byte.
        guard let comm = (0..<bytes.count - 4).first(where: { bytes[$0..<$0 + 4] == [0x43, 0x4F, 0x4D, 0x4D][...] })
        else { return XCTFail("no COMM chunk") }
        for flip: UInt8 in [0x08, 0x10] {
            let file = try patched(full, as: "flip\(flip).aiff") { b in b[comm + 8 + 8 + 1] ^= flip }
            guard case .unsupportedSampleRate(_, let found)? = rejection(file) else { XCTFail("flip \(flip)"); continue }
            XCTAssertFalse(AudioLimits.sampleRates.contains(found))
        }
    }

    func testAbsurdChannelCountsAreRejected() throws {
        let many = try write("many.wav", seconds: 0.01, rate: 16000, channels: AudioLimits.maxChannelCount + 1)
        XCTAssertEqual(rejection(many), .unsupportedChannelCount(path: many.path, found: 65))
        let most = try write("most.wav", seconds: 0.01, rate: 16000, channels: AudioLimits.maxChannelCount)
        XCTAssertEqual(try decode(most).fileChannelCount, 64)
    }

    // MARK: Samples no recorder makes

    func testHugeSamplesAreRejected() throws {
        for (i, value) in [Float(1e30), -1e30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1001].enumerated() {
            var samples = TestSignals.noise(1000).map { $0 * 0.5 }
            samples[400] = value
            let file = url("huge\(i).wav")
            try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: [samples]), to: file, format: .float32)
            XCTAssertEqual(rejection(file), .sampleOutOfRange(path: file.path, frame: 400, value: value))
        }
        // Loud but plausible (an unclipped mix at +20 dB) is audio.
        var loud = TestSignals.noise(1000)
        loud[400] = 10
        let file = url("loud.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: [loud]), to: file, format: .float32)
        XCTAssertEqual(try decode(file).buffer.channels[0][400], 10)
    }

    // MARK: Things that are not files

    /// Opening a FIFO for reading blocks until a writer comes: the old decoder hung the run forever.
    func testFIFOIsRejectedWithoutHanging() throws {
        let fifo = url("x.wav")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        let done = expectation(description: "decode returned")
        let outcome = Outcome()
        DispatchQueue.global().async {
            outcome.error = self.rejection(fifo)
            done.fulfill()
        }
        let waited = XCTWaiter().wait(for: [done], timeout: 10)
        if waited != .completed {
            // Release the blocked reader so the test process can end.
            let writer = open(fifo.path, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            return XCTFail("decoding a FIFO did not return within 10 s")
        }
        XCTAssertEqual(outcome.error, .notRegularFile(path: fifo.path, kind: "a FIFO (named pipe)"))
    }

    final class Outcome: @unchecked Sendable { var error: AudioError? }

    func testFolderSymlinkLoopAndDeviceAreRejectedWithTheirKind() throws {
        let folderNamed = url("d.wav")
        try FileManager.default.createDirectory(at: folderNamed, withIntermediateDirectories: false)
        XCTAssertEqual(rejection(folderNamed), .notRegularFile(path: folderNamed.path, kind: "a folder"))

        let loop = url("loop.wav")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
        XCTAssertEqual(rejection(loop), .notRegularFile(path: loop.path, kind: "a symbolic link loop"))

        let device = url("zero.wav")
        try FileManager.default.createSymbolicLink(atPath: device.path, withDestinationPath: "/dev/zero")
        XCTAssertEqual(rejection(device), .notRegularFile(path: device.path, kind: "a character device"))

        // A symbolic link to a real file is that file.
        let real = try write("real.wav")
        let link = url("link.wav")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        XCTAssertEqual(try decode(link).framesRead, 16000)
    }
}
