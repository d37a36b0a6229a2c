/// Why an audio file could not be used. Every case names the file, so a rejection in the
/// manifest or on the terminal can be acted on without a debugger.
public enum AudioError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case empty(path: String)
    case truncated(path: String, expectedFrames: Int, readFrames: Int)
    case nonFinite(path: String, firstBadSample: Int)
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
            return "truncated audio (header declares \(expected) frames, only \(read) could be read)"
        case let .nonFinite(_, index): return "NaN or Inf sample at frame \(index)"
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
