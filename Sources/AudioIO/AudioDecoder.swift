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

    /// Decodes the whole file with every channel (no read limit); rejections as the full `decode`.
    public static func decode(_ url: URL) throws -> AudioBuffer {
        var scratch: [Float] = []
        return try decode(url, channels: .keep, scratch: &scratch).buffer
    }

    /// A decoded file after its channel policy, with the facts the checks need about the original.
    public struct Decoded {
        /// The audio after the channel policy: every frame read, at most the read limit's.
        public var buffer: AudioBuffer
        /// Channels in the file itself.
        public var fileChannelCount: Int
        /// Every sample read is zero.
        public var isSilent: Bool
        /// Frames the header claims, or nil when it claims none (a streamed FLAC's STREAMINFO of 0).
        public var headerFrames: Int?
        /// Frames actually read (the buffer's frame count).
        public var framesRead: Int
        /// Reading stopped at the limit with more data in the file: `framesRead` is not the file's length.
        public var reachedLimit: Bool
        /// The file frame the buffer starts at (0 unless the decode started at a `ReadStart`).
        public var firstFrame = 0
        /// The file frame after the last one read.
        public var endFrame: Int { firstFrame + framesRead }
    }

    /// Frames read per libsndfile call: reading in blocks until the real end of data, never a single
    /// read sized by the header, is what keeps a header that lies (a truncated Ogg and a streamed FLAC
    /// both report `frames = INT64_MAX`; a flipped byte can claim 2⁴⁰) from sizing an allocation.
    static let blockFrames = 65_536

    /// Decodes the file into `scratch` (a worker's reusable interleaved buffer, grown as needed),
    /// checks it, and applies `policy` while de-interleaving, so a stereo file mixed to mono is read
    /// and mixed in one pass without a planar copy of both channels.
    ///
    /// With a `start`, decoding begins there (a seek, or reading past the frames before it where the
    /// format cannot seek); the checks of the samples (silence, NaN, range) are then of the frames
    /// decoded. The `limit` still counts from the file's start: reading stops at its end.
    ///
    /// With a `limit`, reading stops after that many seconds: memory is bounded by what the caller
    /// keeps, not by the file. Truncation is then judged on what libsndfile knows of the file's
    /// length (for WAV and AIFF, the header's own claim against the file size); past the limit, a
    /// FLAC's damage is not seen, and does not matter to the frames kept (a cut Ogg is still
    /// refused: libsndfile finds no last page when it opens one).
    ///
    /// Every rejection is an `AudioError` naming the file: not a regular file; a rate or channel count
    /// outside `AudioLimits`; fewer frames than the header claims; an Ogg stream without its last page;
    /// a decoding error; no frames; NaN/Inf or samples beyond `AudioLimits.maxSampleMagnitude`.
    public static func decode(_ url: URL, channels policy: ChannelPolicy, limit: ReadLimit? = nil,
                              start: ReadStart? = nil, scratch: inout [Float]) throws -> Decoded {
        let path = url.path
        let handle = try SoundFileHandle(readingFrom: url)
        let channelCount = Int(handle.info.channels), sampleRate = Int(handle.info.samplerate)
        guard AudioLimits.channelCounts.contains(channelCount) else {
            throw AudioError.unsupportedChannelCount(path: path, found: channelCount)
        }
        guard AudioLimits.sampleRates.contains(sampleRate) else {
            throw AudioError.unsupportedSampleRate(path: path, found: sampleRate)
        }
        // What libsndfile says the file holds (nil: unknown), and what the header claims.
        let known: Int? = handle.info.frames == sf_count_t.max || handle.info.frames < 0 ? nil : Int(handle.info.frames)
        let claimed = HeaderClaim.frames(in: handle) ?? known
        if let claimed, let known, known < claimed {
            throw AudioError.truncated(path: path, expectedFrames: claimed, readFrames: known)
        }

        let first = try skip(to: start?.firstFrame(atRate: sampleRate) ?? 0, in: handle, channelCount: channelCount,
                             scratch: &scratch, path: path)
        let maxFrames = limit.map { max(0, $0.frames(atRate: sampleRate) - first) } ?? Int.max
        let maxSamples = maxFrames.multipliedReportingOverflow(by: channelCount)
        var framesRead = 0
        while framesRead < maxFrames {
            let want = min(blockFrames, maxFrames - framesRead)
            let needed = (framesRead + want) * channelCount
            if scratch.count < needed {
                // Doubling (amortised growth for a long unlimited read), but never past the limit.
                let doubled = maxSamples.overflow ? scratch.count * 2 : min(scratch.count * 2, maxSamples.partialValue)
                scratch.append(contentsOf: repeatElement(0, count: max(doubled, needed) - scratch.count))
            }
            let got = scratch.withUnsafeMutableBufferPointer {
                Int(sf_readf_float(handle.file, $0.baseAddress! + framesRead * channelCount, sf_count_t(want)))
            }
            if got <= 0 { break }
            framesRead += got
            if got < want { break }
        }
        var reachedLimit = false
        if framesRead == maxFrames {
            var probe = [Float](repeating: 0, count: channelCount)
            reachedLimit = probe.withUnsafeMutableBufferPointer { sf_readf_float(handle.file, $0.baseAddress, 1) } > 0
        }
        let status = sf_error(handle.file)
        if status != 0, !reachedLimit {
            let reason = String(cString: sf_strerror(handle.file))
            if let claimed, framesRead < claimed {
                throw AudioError.decodeFailed(path: path, atFrame: first + framesRead, reason: "\(reason); header says \(claimed) frames")
            }
            throw AudioError.decodeFailed(path: path, atFrame: first + framesRead, reason: reason)
        }
        // What the file holds: what was read, or what libsndfile knows of it when reading stopped early.
        let held = reachedLimit ? (known ?? first + framesRead) : first + framesRead
        if let claimed, held < claimed {
            throw AudioError.truncated(path: path, expectedFrames: claimed, readFrames: held)
        }
        // libsndfile finds an Ogg stream's length on its last page; without one the stream was cut
        // (wherever reading stopped: the cut is known from the open, not from reading to it).
        if claimed == nil, handle.info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_OGG) {
            throw AudioError.unterminated(path: path, readFrames: first + framesRead)
        }
        guard framesRead > 0 else { throw AudioError.empty(path: path) }

        let total = framesRead * channelCount
        return try scratch.withUnsafeBufferPointer { all -> Decoded in
            let samples = UnsafeBufferPointer(rebasing: all[0..<total])
            let largest = largestMagnitudeBits(samples)
            if largest > AudioLimits.maxSampleMagnitude.bitPattern {
                try rejectFirstBadSample(samples, channelCount: channelCount, firstFrame: first, path: path)
            }
            let silent = largest == 0
            let planar = try deinterleave(samples, frames: framesRead, channelCount: channelCount, policy: policy, path: path)
            return Decoded(buffer: AudioBuffer(sampleRate: sampleRate, channels: planar), fileChannelCount: channelCount,
                           isSilent: silent, headerFrames: claimed, framesRead: framesRead, reachedLimit: reachedLimit,
                           firstFrame: first)
        }
    }

    /// Moves `handle` to `frame`: `sf_seek` where the format can seek, else reading the frames
    /// before it in blocks into `scratch` (a stream without a seek table). Returns the frame reached:
    /// `frame`, or the end of the data when the file is shorter (the read then finds nothing).
    static func skip(to frame: Int, in handle: SoundFileHandle, channelCount: Int, scratch: inout [Float],
                     path: String) throws -> Int {
        guard frame > 0 else { return 0 }
        if sf_seek(handle.file, sf_count_t(frame), SEEK_SET) == sf_count_t(frame) { return frame }
        // No seek (or past the end): back to the start, then read forward, never past the data.
        guard sf_seek(handle.file, 0, SEEK_SET) == 0 else {
            throw AudioError.decodeFailed(path: path, atFrame: 0, reason: "cannot seek to frame \(frame) or back to the start")
        }
        if scratch.count < blockFrames * channelCount {
            scratch.append(contentsOf: repeatElement(0, count: blockFrames * channelCount - scratch.count))
        }
        var reached = 0
        while reached < frame {
            let want = min(blockFrames, frame - reached)
            let got = scratch.withUnsafeMutableBufferPointer { Int(sf_readf_float(handle.file, $0.baseAddress, sf_count_t(want))) }
            if got <= 0 { break }
            reached += got
            if got < want { break }
        }
        return reached
    }

    /// The largest `|x|` of `samples` as its float32 bit pattern, in one branch-free pass that
    /// vectorises (the check is about a sixth of a clip's decode when written as a loop that throws).
    /// WHY bits: for a non-negative float the bit pattern orders as the value does, and NaN and ±Inf
    /// lie above every finite value, so one integer maximum answers "all finite and within the
    /// limit?" (≤ the limit's bits) and "all zero?" (0: +0 and -0 alike).
    static func largestMagnitudeBits(_ samples: UnsafeBufferPointer<Float>) -> UInt32 {
        var largest: UInt32 = 0
        for x in samples { largest = max(largest, x.bitPattern & 0x7fff_ffff) }
        return largest
    }

    /// Throws for the first sample that is not finite or beyond `AudioLimits.maxSampleMagnitude`
    /// (the slow path, taken only when `largestMagnitudeBits` says there is one).
    static func rejectFirstBadSample(_ samples: UnsafeBufferPointer<Float>, channelCount: Int, firstFrame: Int, path: String) throws {
        for (i, x) in samples.enumerated() {
            if !x.isFinite { throw AudioError.nonFinite(path: path, firstBadSample: firstFrame + i / channelCount) }
            if abs(x) > AudioLimits.maxSampleMagnitude {
                throw AudioError.sampleOutOfRange(path: path, frame: firstFrame + i / channelCount, value: x)
            }
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
            if channelCount == 2 {
                // The common case, written so that it vectorises: (left + right) / 2, as the general loop.
                return [[Float](unsafeUninitializedCapacity: frames) { out, n in
                    for f in 0..<frames { out[f] = (samples[2 * f] + samples[2 * f + 1]) / count }
                    n = frames
                }]
            }
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
