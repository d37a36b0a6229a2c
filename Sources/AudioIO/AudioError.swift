/// Why an audio file could not be used. Every case names the file, so a rejection in the
/// manifest or on the terminal can be acted on without a debugger.
public enum AudioError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case empty(path: String)
    /// Holds fewer frames than its header claims (an interrupted download or copy).
    case truncated(path: String, expectedFrames: Int, readFrames: Int)
    /// An Ogg stream without its last page: its length is unknown because it was cut short.
    case unterminated(path: String, readFrames: Int)
    /// libsndfile stopped with an error before the end the header claims, or with no claim at all.
    case decodeFailed(path: String, atFrame: Int, reason: String)
    /// A folder, FIFO, device, socket or symbolic-link loop where an audio file was expected.
    case notRegularFile(path: String, kind: String)
    /// A rate outside `AudioLimits.sampleRates`: a corrupt header, not audio.
    case unsupportedSampleRate(path: String, found: Int)
    /// A channel count outside `AudioLimits.channelCounts`.
    case unsupportedChannelCount(path: String, found: Int)
    case nonFinite(path: String, firstBadSample: Int)
    /// A sample beyond ±`AudioLimits.maxSampleMagnitude`.
    case sampleOutOfRange(path: String, frame: Int, value: Float)
    case silent(path: String)
    case unexpectedChannelCount(path: String, found: Int, allowed: [Int])
    case unexpectedSampleRate(path: String, found: Int, allowed: [Int])
    case channelOutOfRange(path: String, channel: Int, channelCount: Int)
    case resampleFailed(backend: String, reason: String)
    case cannotWrite(path: String, reason: String)

    /// The file at fault (nil for a resampler failure, which has no file).
    public var path: String? {
        switch self {
        case let .cannotOpen(path, _), let .empty(path), let .truncated(path, _, _), let .nonFinite(path, _),
             let .unterminated(path, _), let .decodeFailed(path, _, _), let .notRegularFile(path, _),
             let .unsupportedSampleRate(path, _), let .unsupportedChannelCount(path, _), let .sampleOutOfRange(path, _, _),
             let .silent(path), let .unexpectedChannelCount(path, _, _), let .unexpectedSampleRate(path, _, _),
             let .channelOutOfRange(path, _, _), let .cannotWrite(path, _):
            return path
        case .resampleFailed:
            return nil
        }
    }

    /// What is wrong, without the path: what a rejection lists beside the path it names.
    public var reason: String {
        switch self {
        case let .cannotOpen(_, reason): return "cannot decode audio (\(reason))"
        case .empty: return "zero-length audio (no frames)"
        case let .truncated(_, expected, read):
            return "truncated: header says \(expected) frames, file holds \(read)"
        case let .unterminated(_, read):
            return "truncated: the Ogg stream has no last page (its length is unknown; \(read) frames were read)"
        case let .decodeFailed(_, frame, reason): return "cannot decode audio past frame \(frame) (\(reason))"
        case let .notRegularFile(_, kind): return "not a regular file: \(kind)"
        case let .unsupportedSampleRate(_, found):
            return "sample rate \(found) Hz is outside \(AudioLimits.minSampleRate)...\(AudioLimits.maxSampleRate) Hz (corrupt header)"
        case let .unsupportedChannelCount(_, found):
            return "\(found) channels is outside 1...\(AudioLimits.maxChannelCount) (corrupt header)"
        case let .nonFinite(_, index): return "NaN or Inf sample at frame \(index)"
        case let .sampleOutOfRange(_, frame, value):
            return "sample \(value) at frame \(frame) is beyond ±\(Int(AudioLimits.maxSampleMagnitude)) (full scale is ±1)"
        case .silent: return "digital silence (every sample is zero)"
        case let .unexpectedChannelCount(_, found, allowed):
            return "\(found) channels, expected \(allowed.map(String.init).joined(separator: " or "))"
        case let .unexpectedSampleRate(_, found, allowed):
            return "sample rate \(found) Hz, expected \(allowed.map(String.init).joined(separator: " or ")) Hz"
        case let .channelOutOfRange(_, channel, count):
            return "channel \(channel) selected but the file has \(count) channels"
        case let .resampleFailed(backend, reason): return "resampling with \(backend) failed: \(reason)"
        case let .cannotWrite(_, reason): return "cannot write audio (\(reason))"
        }
    }

    public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}
