import CSndFile
import Foundation

/// Reads any file libsndfile understands (WAV 16/24/32-bit and float, FLAC, OGG, …) into planar Float32.
///
/// Integer PCM is scaled by 1/2^(bits-1), exactly as `soundfile.read(dtype='float32')` (and so
/// `librosa.load`) does, because both go through libsndfile's normalised float read.
public enum AudioDecoder {
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
        var scratch: [Float] = []
        return try decode(url, channels: .keep, scratch: &scratch).buffer
    }

    /// A decoded file after its channel policy, with the facts the checks need about the original.
    public struct Decoded {
        /// The audio after the channel policy.
        public var buffer: AudioBuffer
        /// Channels in the file itself.
        public var fileChannelCount: Int
        /// Every sample of the file is zero.
        public var isSilent: Bool
    }

    /// Decodes the whole file in one libsndfile call into `scratch` (a worker's reusable interleaved
    /// buffer, grown as needed), checks it, and applies `policy` while de-interleaving, so a stereo
    /// file mixed to mono is read and mixed in one pass without a planar copy of both channels.
    public static func decode(_ url: URL, channels policy: ChannelPolicy, scratch: inout [Float]) throws -> Decoded {
        let handle = try SoundFileHandle(readingFrom: url)
        let channelCount = Int(handle.info.channels)
        let declared = Int(handle.info.frames)
        guard declared > 0, channelCount > 0 else { throw AudioError.empty(path: url.path) }
        let total = declared * channelCount
        if scratch.count < total { scratch = [Float](repeating: 0, count: total) }
        let read = scratch.withUnsafeMutableBufferPointer {
            Int(sf_readf_float(handle.file, $0.baseAddress, sf_count_t(declared)))
        }
        guard read == declared else {
            throw AudioError.truncated(path: url.path, expectedFrames: declared, readFrames: max(read, 0))
        }
        return try scratch.withUnsafeBufferPointer { samples -> Decoded in
            var silent = true
            for i in 0..<total {
                let x = samples[i]
                if !x.isFinite { throw AudioError.nonFinite(path: url.path, firstBadSample: i / channelCount) }
                if x != 0 { silent = false }
            }
            let planar = try deinterleave(samples, frames: declared, channelCount: channelCount, policy: policy, path: url.path)
            return Decoded(buffer: AudioBuffer(sampleRate: Int(handle.info.samplerate), channels: planar),
                           fileChannelCount: channelCount, isSilent: silent)
        }
    }

    /// Planar channels from interleaved samples, per the channel policy. The mono mix is numpy's
    /// float32 mean: the channels summed in order, then one division by their count.
    static func deinterleave(_ samples: UnsafeBufferPointer<Float>, frames: Int, channelCount: Int,
                             policy: ChannelPolicy, path: String) throws -> [[Float]] {
        func channel(_ c: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: frames) { out, count in
                var i = c
                for f in 0..<frames {
                    out[f] = samples[i]
                    i += channelCount
                }
                count = frames
            }
        }
        switch policy {
        case .keep:
            return (0..<channelCount).map(channel)
        case .select(let indices):
            return try indices.map { index in
                guard index >= 0, index < channelCount else {
                    throw AudioError.channelOutOfRange(path: path, channel: index, channelCount: channelCount)
                }
                return channel(index)
            }
        case .mono:
            guard channelCount > 1 else { return [channel(0)] }
            let count = Float(channelCount)
            return [[Float](unsafeUninitializedCapacity: frames) { out, n in
                var i = 0
                for f in 0..<frames {
                    var sum = samples[i]
                    for c in 1..<channelCount { sum += samples[i + c] }
                    out[f] = sum / count
                    i += channelCount
                }
                n = frames
            }]
        }
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
