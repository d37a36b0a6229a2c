/// Fixed-length crops of variable-length rows (whole recordings, `audio.length: keep`): every
/// batch row is `frames` feature frames of one recording, cut where `mode` says, with its frame
/// targets cut at the same place and a mask marking the frames a recording shorter than the crop
/// leaves as zero padding.
///
/// ```swift
/// options.crop = FrameCrop(frames: 400, mode: .random)             // one crop per row per epoch
/// options.crop = FrameCrop(frames: 400, mode: .sliding(hop: 200))  // every window of every row
/// ```
///
/// Offsets (and a sliding hop) must fall on label frames when frame targets are read: with
/// 80 feature frames per second and 10 label frames per second a crop starts at a multiple of 8,
/// so its label frame 0 covers exactly its feature frames 0 ..< 8.
public struct FrameCrop: Codable, Equatable, Hashable, Sendable {
    /// Feature frames per crop (T of the batch's [B, C, T, F]).
    public var frames: Int
    public var mode: Mode

    public enum Mode: Codable, Equatable, Hashable, Sendable {
        /// One crop per row and epoch, its offset drawn from (seed, epoch, rank, batch, slot):
        /// uniform over the offsets on the label grid that keep the crop inside the recording.
        case random
        /// Every window at offsets 0, hop, 2·hop, … of every row, until one reaches the row's end
        /// (that one padded); each window is one item of the epoch's shuffle.
        case sliding(hop: Int)
    }

    public init(frames: Int, mode: Mode = .random) {
        self.frames = frames
        self.mode = mode
    }

    /// Why this crop cannot be made, or nil.
    var validationProblem: String? {
        if frames < 1 { return "crop of \(frames) frames must be at least 1 frame" }
        if case .sliding(let hop) = mode, hop < 1 { return "sliding crop hop \(hop) must be at least 1 frame" }
        return nil
    }

    /// The first frames of the sliding windows of a row of `length` frames (at least one window).
    static func windowStarts(length: Int, frames: Int, hop: Int) -> [Int] {
        var starts = [0]
        while let last = starts.last, last + frames < length { starts.append(last + hop) }
        return starts
    }
}
