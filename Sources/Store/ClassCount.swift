/// How many rows of one corpus, label and split a store (or view) holds.
///
/// The manifest lists these so a reader sees the class balance without opening a shard; the
/// label is the class name, nil for unlabeled rows.
public struct ClassCount: Codable, Equatable, Hashable, Sendable {
    public var corpus: String
    public var label: String?
    public var split: String
    public var count: Int

    public init(corpus: String, label: String?, split: String, count: Int) {
        self.corpus = corpus
        self.label = label
        self.split = split
        self.count = count
    }

    /// Counts (corpus, label, split) triples and returns them sorted by corpus, label, split,
    /// so the manifest is deterministic.
    public static func tally(_ rows: [(corpus: String, label: String?, split: String)]) -> [ClassCount] {
        struct Key: Hashable { let corpus: String; let label: String?; let split: String }
        var counts: [Key: Int] = [:]
        for row in rows { counts[Key(corpus: row.corpus, label: row.label, split: row.split), default: 0] += 1 }
        return counts.map { ClassCount(corpus: $0.key.corpus, label: $0.key.label, split: $0.key.split, count: $0.value) }
            .sorted { ($0.corpus, $0.label ?? "", $0.split) < ($1.corpus, $1.label ?? "", $1.split) }
    }

    /// Sums counts of the same (corpus, label, split), e.g. the sidecars of every shard, sorted as
    /// `tally` sorts.
    public static func merged(_ counts: [ClassCount]) -> [ClassCount] {
        struct Key: Hashable { let corpus: String; let label: String?; let split: String }
        var sums: [Key: Int] = [:]
        for count in counts { sums[Key(corpus: count.corpus, label: count.label, split: count.split), default: 0] += count.count }
        return sums.map { ClassCount(corpus: $0.key.corpus, label: $0.key.label, split: $0.key.split, count: $0.value) }
            .sorted { ($0.corpus, $0.label ?? "", $0.split) < ($1.corpus, $1.label ?? "", $1.split) }
    }
}
