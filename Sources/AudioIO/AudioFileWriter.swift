import CSndFile
import Foundation

/// How samples are stored in a written file.
public enum SampleFormat: String, Codable, Sendable {
    case pcm16, pcm24, pcm32, float32

    var sndfileSubtype: Int32 {
        switch self {
        case .pcm16: return Int32(SF_FORMAT_PCM_16)
        case .pcm24: return Int32(SF_FORMAT_PCM_24)
        case .pcm32: return Int32(SF_FORMAT_PCM_32)
        case .float32: return Int32(SF_FORMAT_FLOAT)
        }
    }
}

/// Writes audio files through libsndfile: WAV, or by the extension FLAC (`.flac`), AIFF (`.aif`,
/// `.aiff`) or Ogg Vorbis (`.ogg`, lossy: the sample format is ignored).
///
/// Samples outside [-1, 1] are clipped rather than wrapped when stored as integers
/// (`SFC_SET_CLIPPING`), so a synthetic corpus can never contain wrap-around clicks.
public enum AudioFileWriter {
    public static func write(_ buffer: AudioBuffer, to url: URL, format: SampleFormat = .pcm16) throws {
        var info = SF_INFO()
        info.samplerate = Int32(buffer.sampleRate)
        info.channels = Int32(buffer.channelCount)
        switch url.pathExtension.lowercased() {
        case "flac": info.format = Int32(SF_FORMAT_FLAC) | format.sndfileSubtype
        case "aif", "aiff": info.format = Int32(SF_FORMAT_AIFF) | format.sndfileSubtype
        case "ogg": info.format = Int32(SF_FORMAT_OGG) | Int32(SF_FORMAT_VORBIS)
        default: info.format = Int32(SF_FORMAT_WAV) | format.sndfileSubtype
        }
        guard buffer.channelCount > 0, sf_format_check(&info) != 0 else {
            throw AudioError.cannotWrite(path: url.path, reason: "unsupported format \(format.rawValue) with \(buffer.channelCount) channels")
        }
        guard let file = sf_open(url.path, Int32(SFM_WRITE), &info) else {
            throw AudioError.cannotWrite(path: url.path, reason: String(cString: sf_strerror(nil)))
        }
        sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        let channelCount = buffer.channelCount
        let frames = buffer.frameCount
        var interleaved = [Float](repeating: 0, count: frames * channelCount)
        for (c, channel) in buffer.channels.enumerated() {
            for f in 0..<frames { interleaved[f * channelCount + c] = channel[f] }
        }
        let written = interleaved.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
        let closeStatus = sf_close(file)
        guard written == frames, closeStatus == 0 else {
            try? FileManager.default.removeItem(at: url)
            throw AudioError.cannotWrite(path: url.path, reason: "wrote \(written) of \(frames) frames")
        }
    }
}
