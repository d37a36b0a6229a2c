import Foundation
import Store

/// What the pipeline knows about one finished shard, kept beside it as `shards/<name>.plan.json`.
///
/// It is written after the shard's commit, so its presence means the shard is complete; with the
/// planned ids and the config hash it lets a rerun decide that the shard can be kept as it is, and
/// it carries the shard's rejections so the manifest of a resumed run still lists them.
public struct ShardRecord: Codable, Equatable, Sendable {
    public var name: String
    public var configHash: String
    /// Recording ids the plan put in this shard, in plan order (accepted and rejected).
    public var plannedIDs: [String]
    /// The committed shard; nil when every planned clip was rejected and no file was written.
    public var shard: ShardInfo?
    public var rejected: [RejectedInput]
    /// Accepted rows per "corpus\tlabel\tsplit", for the manifest's counts.
    public var counts: [String: Int]

    enum CodingKeys: String, CodingKey {
        case name, configHash = "config_hash", plannedIDs = "planned_ids", shard, rejected, counts
    }
}
