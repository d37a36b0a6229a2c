/// What to do with the channels of a decoded file.
///
/// `mono` is librosa's `to_mono`: the float32 mean over channels. `select` keeps the listed channels
/// (0-based, in that order), e.g. the four FOA channels of a 4-channel file. `keep` passes every
/// channel through.
public enum ChannelPolicy: Codable, Equatable, Sendable {
    case mono
    case select([Int])
    case keep

    /// Applies the policy; `path` only names the file in errors.
    public func apply(to buffer: AudioBuffer, path: String) throws -> AudioBuffer {
        switch self {
        case .keep:
            return buffer
        case .select(let indices):
            let picked = try indices.map { index -> [Float] in
                guard index >= 0, index < buffer.channelCount else {
                    throw AudioError.channelOutOfRange(path: path, channel: index, channelCount: buffer.channelCount)
                }
                return buffer.channels[index]
            }
            return AudioBuffer(sampleRate: buffer.sampleRate, channels: picked)
        case .mono:
            guard buffer.channelCount > 1 else { return buffer }
            var sum = buffer.channels[0]
            for c in 1..<buffer.channelCount {
                let channel = buffer.channels[c]
                sum.withUnsafeMutableBufferPointer { s in
                    channel.withUnsafeBufferPointer { x in
                        for i in 0..<s.count { s[i] += x[i] }
                    }
                }
            }
            // numpy's float32 mean: sum in float32, then one division by the count.
            let count = Float(buffer.channelCount)
            sum.withUnsafeMutableBufferPointer { s in
                for i in 0..<s.count { s[i] /= count }
            }
            return AudioBuffer(sampleRate: buffer.sampleRate, channels: [sum])
        }
    }

    // YAML/JSON form: "mono", "keep", or a list of channel indices.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let indices = try? container.decode([Int].self) {
            self = .select(indices)
            return
        }
        let word = try container.decode(String.self)
        switch word {
        case "mono", "mean": self = .mono
        case "keep", "all": self = .keep
        default:
            throw DecodingError.dataCorruptedError(in: container,
                debugDescription: "channels must be 'mono', 'keep' or a list of channel indices, not '\(word)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .mono: try container.encode("mono")
        case .keep: try container.encode("keep")
        case .select(let indices): try container.encode(indices)
        }
    }
}
