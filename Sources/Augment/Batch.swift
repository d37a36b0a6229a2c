/// A contiguous float32 batch `[B, C, T, F]` (rows, channels, frames, bins — the store's feature
/// layout with the row axis in front), row-major. A single spectrogram is a batch of one.
///
/// The spectrogram and batch augmentations work on it in place, so the streaming stage can hand
/// them the buffer it assembled without a copy per augmentation.
public struct Batch: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) throws {
        guard shape.count == 4, shape.allSatisfy({ $0 >= 0 }) else {
            throw AugmentError("a batch is [B, C, T, F], got shape \(shape)")
        }
        guard shape.reduce(1, *) == values.count else {
            throw AugmentError("batch shape \(shape) does not hold \(values.count) values")
        }
        self.shape = shape
        self.values = values
    }

    /// Stacks rows of one shape `[C, T, F]`; rows of different shapes cannot be batched (nor mixed).
    public init(rows: [[Float]], rowShape: [Int]) throws {
        guard rowShape.count == 3 else { throw AugmentError("a batch row is [C, T, F], got \(rowShape)") }
        let size = rowShape.reduce(1, *)
        for (i, r) in rows.enumerated() where r.count != size {
            throw AugmentError("row \(i) holds \(r.count) values, not \(rowShape) = \(size): rows of different shapes cannot be batched")
        }
        try self.init(shape: [rows.count] + rowShape, values: rows.flatMap { $0 })
    }

    public var rows: Int { shape[0] }
    public var channels: Int { shape[1] }
    public var frames: Int { shape[2] }
    public var bins: Int { shape[3] }
    public var rowSize: Int { shape[1] * shape[2] * shape[3] }
}
