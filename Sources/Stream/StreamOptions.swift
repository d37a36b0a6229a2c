/// Everything that decides which batches a stream yields, in which order.
///
/// The same options over the same store give the same batches byte for byte, whatever `readers`
/// and `prefetch` are: those two only decide how far ahead the reading runs.
///
/// ```swift
/// var options = StreamOptions(features: "features/logmel", batchSize: 64)
/// options.filter = RowFilter(splits: ["train"], labeled: true)
/// options.seed = 7
/// options.rank = 0; options.world = 2                    // this process's half of every epoch
/// ```
public struct StreamOptions: Codable, Equatable, Hashable, Sendable {
    /// The float32 feature column read into `Batch.features` (shape [C, T, F] per row).
    public var features: String
    public var labels: LabelSource
    public var filter: RowFilter
    public var batchSize: Int
    /// Drop the last, smaller batch of an epoch (true), or yield it (false).
    public var dropLast: Bool
    /// Shuffle from (seed, epoch): the order of shards, then a buffer of `shuffleBuffer` rows.
    public var shuffle: Bool
    public var seed: UInt64
    /// Rows held by the shuffle buffer. Larger mixes more across shards; it holds row indices only,
    /// never features, so its size costs no feature memory.
    public var shuffleBuffer: Int
    public var sampling: Sampling
    /// Data-parallel partition: this stream yields rank `rank` of `world` disjoint parts.
    public var rank: Int
    public var world: Int
    /// Batches read ahead (the bounded queue's depth): memory is at most `prefetch` × batch bytes.
    public var prefetch: Int
    /// Reader threads filling the queue.
    public var readers: Int
    /// Verify each file's SHA-256 against its manifest the first time it is opened.
    public var verifyChecksums: Bool
    /// Fixed-length crops of a variable-length feature column (nil: rows are read whole, which
    /// needs a fixed-shape column). See `FrameCrop`.
    public var crop: FrameCrop?

    public init(features: String, labels: LabelSource = .hardLabels, filter: RowFilter = .all,
                batchSize: Int, dropLast: Bool = true, shuffle: Bool = true, seed: UInt64 = 0,
                shuffleBuffer: Int = 4096, sampling: Sampling = .natural, rank: Int = 0, world: Int = 1,
                prefetch: Int = 4, readers: Int = 1, verifyChecksums: Bool = true, crop: FrameCrop? = nil) {
        self.features = features
        self.labels = labels
        self.filter = filter
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.shuffle = shuffle
        self.seed = seed
        self.shuffleBuffer = shuffleBuffer
        self.sampling = sampling
        self.rank = rank
        self.world = world
        self.prefetch = prefetch
        self.readers = readers
        self.verifyChecksums = verifyChecksums
        self.crop = crop
    }

    /// Why these options cannot make a stream, or nil.
    public var validationProblem: String? {
        if batchSize < 1 { return "batch size \(batchSize) must be at least 1" }
        if world < 1 { return "world \(world) must be at least 1" }
        if rank < 0 || rank >= world { return "rank \(rank) must be in 0..<\(world)" }
        if shuffleBuffer < 1 { return "shuffle buffer \(shuffleBuffer) must be at least 1 row" }
        if prefetch < 1 { return "prefetch depth \(prefetch) must be at least 1 batch" }
        if readers < 1 { return "readers \(readers) must be at least 1 thread" }
        if let problem = crop?.validationProblem { return problem }
        if !features.hasPrefix("features/") { return "feature column '\(features)' must be under features/" }
        if let targets = labels.targets, targets.isEmpty || targets.contains("/") {
            return "target name '\(targets)' must be a plain name (read from targets/<name>)"
        }
        return nil
    }
}
