import Store
import Stream

/// How a model is trained on and applied to whole recordings (a variable-length feature column,
/// `audio.length: keep`): training reads one random crop of `frames` frames per recording per
/// epoch; validation and prediction read every sliding window of `frames` frames at offsets
/// 0, hop, 2·hop, … (the last one reaching the recording's end, zero-padded) and average the
/// windows' class probabilities into one prediction per recording.
///
/// Recorded in `TrainOptions` and so in every checkpoint: a resumed run crops as the first one
/// did, and `pipe predict` cuts the windows the network was trained on.
public struct TrainingCrop: Codable, Equatable, Hashable, Sendable {
    /// Feature frames per crop: the T of the network's [C, T, F] input.
    public var frames: Int
    /// Frames between the starts of two validation / prediction windows.
    public var hop: Int

    public init(frames: Int, hop: Int? = nil) {
        self.frames = frames
        self.hop = hop ?? frames
    }

    /// Random crops: a fresh offset per recording and epoch, from (seed, epoch, batch, slot).
    public var training: FrameCrop { FrameCrop(frames: frames, mode: .random) }
    /// Sliding windows: every window of every recording, in table order.
    public var evaluation: FrameCrop { FrameCrop(frames: frames, mode: .sliding(hop: hop)) }

    var validationProblem: String? {
        if frames < 1 { return "crop of \(frames) frames must be at least 1 frame" }
        if hop < 1 { return "crop hop \(hop) must be at least 1 frame" }
        return nil
    }
}

extension TrainingCrop {
    /// Refuses, by the option's name, a whole-recording column without a crop and a crop of a
    /// fixed-length column, before any batch is read.
    static func check(_ crop: TrainingCrop?, reader: StoreReader, features: String) throws {
        guard let spec = reader.columns.first(where: { $0.name == features }) else { return }
        if spec.isVariableLength, crop == nil {
            throw TrainError.invalidOptions("\(reader.manifestURL.path): '\(features)' holds whole recordings of their own lengths \(spec.shapeDescription); train on fixed-length crops with --model cnn --crop T (frames) [--crop-hop H]")
        }
        if !spec.isVariableLength, let crop {
            throw TrainError.invalidOptions("\(reader.manifestURL.path): --crop \(crop.frames) cuts whole recordings (audio.length: keep); '\(features)' holds fixed-length rows \(spec.rowShape)")
        }
    }
}
