/// One batch: `count` rows' features in one contiguous Float32 buffer [B, C, T, F] (C order, ready
/// for a GEMM or a copy into a tensor), with their ids, hard labels and soft targets.
public struct Batch: Equatable, Sendable {
    /// Which epoch and which batch of it (for this rank).
    public var epoch: Int
    public var index: Int
    /// Table row numbers, in batch order.
    public var rows: [Int]
    public var ids: [String]
    /// [B, C, T, F]
    public var shape: [Int]
    public var features: [Float]
    /// `/meta/label` per row (-1 = unlabeled), when the label source asks for hard labels.
    public var labels: [Int32]?
    /// `/targets/<name>` rows [B, K] flattened, when asked for.
    public var targets: [Float]?
    public var targetWidth: Int?
    /// Further float32 columns by name, each [B, row shape…] flattened (a waveform transform's
    /// following columns, e.g. a SELD store's `targets/doa` rotated with the channel swap).
    public var columns: [String: [Float]] = [:]
    public var columnShapes: [String: [Int]] = [:]
    /// Cropped rows (`StreamOptions.crop`): the first feature frame of each row's crop.
    public var starts: [Int]?
    /// Cropped rows: [B, T], 1 for a frame of the recording, 0 for padding past its end.
    public var mask: [Float]?
    /// Cropped frame targets: the shape of one row's targets, [T / ratio] + the frame shape
    /// (e.g. [50, 13] for activity), flattened in `targets` (`targetWidth` elements a row).
    public var targetShape: [Int]?

    public var count: Int { rows.count }
    /// The bytes of the feature buffer (what the prefetch queue's bound is counted in).
    public var featureBytes: Int { features.count * MemoryLayout<Float>.size }
}
