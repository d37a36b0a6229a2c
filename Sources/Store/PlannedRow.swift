/// One row a plan puts in a shard: a recording (by its unique id) and which variant of it.
///
/// Variant 0 is the recording as published; 1… are augmented copies or segments of a long
/// recording. The pair, not the id, identifies a row, so a store may hold several rows per recording.
public struct PlannedRow: Codable, Equatable, Hashable, Sendable {
    public var id: String
    public var variant: Int

    public init(id: String, variant: Int = 0) {
        self.id = id
        self.variant = variant
    }
}
