/// The rows a view keeps from one segment of its parent.
///
/// A manifest's rows are a sequence of segments: for a store, its shards in order; for a view, its
/// selections in order. A view has one `ViewSelection` per parent segment (possibly empty), and
/// its column file of the same index is row-aligned with `rows`. Views of views therefore
/// resolve segment by segment down to the store's shards.
public struct ViewSelection: Codable, Equatable, Hashable, Sendable {
    /// The parent's file for this segment (a shard, or the parent view's column file), recorded so
    /// a human reading the manifest sees which shard the rows come from.
    public var parentFile: String
    /// Row indices within the parent segment, strictly increasing.
    public var rows: [Int]

    public init(parentFile: String, rows: [Int]) {
        self.parentFile = parentFile
        self.rows = rows
    }
}
