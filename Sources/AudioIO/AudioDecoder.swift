import CSndFile
import Foundation

/// Reads any file libsndfile understands (WAV 16/24/32-bit and float, FLAC, OGG, …) into planar Float32.
///
/// Integer PCM is scaled by 1/2^(bits-1), exactly as `soundfile.read(dtype='float32')` (and so
/// `librosa.load`) does, because both go through libsndfile's normalised float read.
public enum AudioDecoder {
    /// Frames read per libsndfile call: large enough to amortise the call, small enough to stay in cache.
    static let blockFrames = 16_384

    /// The header facts of a file, without decoding it.
    public struct Info: Sendable, Equatable {
        public var sampleRate: Int
        public var channelCount: Int
        public var frameCount: Int
    }

    public static func info(_ url: URL) throws -> Info {
        let handle = try SoundFileHandle(readingFrom: url)
        return Info(sampleRate: Int(handle.info.samplerate), channelCount: Int(handle.info.channels),
                    frameCount: Int(handle.info.frames))
    }

    /// Decodes the whole file. Throws `AudioError` naming the file when it cannot be opened, has no
    /// frames, ends before the frame count its header declares, or holds NaN/Inf samples.
    public static func decode(_ url: URL) throws -> AudioBuffer {
        let handle = try SoundFileHandle(readingFrom: url)
        let channelCount = Int(handle.info.channels)
        let declared = Int(handle.info.frames)
        guard declared > 0, channelCount > 0 else { throw AudioError.empty(path: url.path) }

        var channels = [[Float]](repeating: [Float](repeating: 0, count: declared), count: channelCount)
        var interleaved = [Float](repeating: 0, count: blockFrames * channelCount)
        var position = 0
        while position < declared {
            let want = min(blockFrames, declared - position)
            let got = interleaved.withUnsafeMutableBufferPointer {
                Int(sf_readf_float(handle.file, $0.baseAddress, sf_count_t(want)))
            }
            if got <= 0 { break }
            for c in 0..<channelCount {
                channels[c].withUnsafeMutableBufferPointer { out in
                    interleaved.withUnsafeBufferPointer { inp in
                        var i = c
                        for f in 0..<got {
                            out[position + f] = inp[i]
                            i += channelCount
                        }
                    }
                }
            }
            position += got
        }
        guard position == declared else {
            throw AudioError.truncated(path: url.path, expectedFrames: declared, readFrames: position)
        }
        for channel in channels {
            if let bad = channel.firstIndex(where: { !$0.isFinite }) {
                throw AudioError.nonFinite(path: url.path, firstBadSample: bad)
            }
        }
        return AudioBuffer(sampleRate: Int(handle.info.samplerate), channels: channels)
    }
}

/// An open libsndfile handle that closes itself.
final class SoundFileHandle {
    let file: OpaquePointer
    var info = SF_INFO()

    init(readingFrom url: URL) throws {
        var info = SF_INFO()
        guard let file = sf_open(url.path, Int32(SFM_READ), &info) else {
            let reason = String(cString: sf_strerror(nil))
            if !FileManager.default.fileExists(atPath: url.path) {
                throw AudioError.cannotOpen(path: url.path, reason: "no such file")
            }
            throw AudioError.cannotOpen(path: url.path, reason: reason)
        }
        self.file = file
        self.info = info
    }

    deinit { sf_close(file) }
}
