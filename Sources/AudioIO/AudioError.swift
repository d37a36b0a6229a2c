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

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot decode audio (\(reason))"
        case let .empty(path): return "\(path): zero-length audio (no frames)"
        case let .truncated(path, expected, read):
            return "\(path): truncated audio (header declares \(expected) frames, only \(read) could be read)"
        case let .nonFinite(path, index): return "\(path): NaN or Inf sample at frame \(index)"
        case let .silent(path): return "\(path): digital silence (every sample is zero)"
        case let .unexpectedChannelCount(path, found, allowed):
            return "\(path): \(found) channels, expected \(allowed.map(String.init).joined(separator: " or "))"
        case let .unexpectedSampleRate(path, found, allowed):
            return "\(path): sample rate \(found) Hz, expected \(allowed.map(String.init).joined(separator: " or ")) Hz"
        case let .channelOutOfRange(path, channel, count):
            return "\(path): channel \(channel) selected but the file has \(count) channels"
        case let .resampleFailed(backend, reason): return "resampling with \(backend) failed: \(reason)"
        case let .cannotWrite(path, reason): return "\(path): cannot write audio (\(reason))"
        }
    }
}
