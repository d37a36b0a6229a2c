/// What a store's shard sidecar says beyond the file itself, so that finalizing merges sidecars into
/// the manifest without reopening a shard, and a rerun can tell whether the shard is the one its
/// plan asks for.
public struct ShardSummary: Codable, Equatable, Sendable {
    /// The configuration hash the shard was computed under.
    public var configHash: String?
    /// Every row the plan gave this shard, accepted or rejected, in plan order.
    public var planned: [PlannedRow]?
    /// Accepted rows per (corpus, class, split).
    public var counts: [ClassCount]
    /// Planned rows that were rejected, with why.
    public var rejected: [RejectedInput]

    public init(configHash: String? = nil, planned: [PlannedRow]? = nil, counts: [ClassCount] = [],
                rejected: [RejectedInput] = []) {
        self.configHash = configHash
        self.planned = planned
        self.counts = counts
        self.rejected = rejected
    }
}
