/// The shape of one sample's feature map, [channels, height, width] (C order): for a spectrogram
/// [C, T, F], height is time and width is frequency, as the stream's `Batch` lays them out.
public struct MapShape: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per sample.
    public var count: Int { channels * height * width }
    /// Positions per channel.
    public var plane: Int { height * width }

    public var description: String { "[\(channels), \(height), \(width)]" }
}
