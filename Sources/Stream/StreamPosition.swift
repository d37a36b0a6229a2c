/// Where a stream stands: the next batch it will yield is batch `batch` of epoch `epoch`.
///
/// Every batch is a function of (options, epoch, batch), so this small value — saved beside a
/// checkpoint — is the whole state needed to resume: a stream started at a saved position yields
/// the same remaining batches, byte for byte, as the stream that saved it would have. `seed`
/// and `rank`/`world` are recorded so a position cannot be restored into another stream.
public struct StreamPosition: Codable, Equatable, Hashable, Sendable {
    public var epoch: Int
    public var batch: Int
    public var seed: UInt64
    public var rank: Int
    public var world: Int

    public init(epoch: Int = 0, batch: Int = 0, seed: UInt64 = 0, rank: Int = 0, world: Int = 1) {
        self.epoch = epoch
        self.batch = batch
        self.seed = seed
        self.rank = rank
        self.world = world
    }
}
