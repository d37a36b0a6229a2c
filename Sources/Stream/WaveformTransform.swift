import Randomness

/// An online waveform augmentation followed by the store's own features: where a store keeps
/// `/audio/waveform`, the stream reads each row's waveform instead of its stored features, hands it
/// here with a seed, and puts what this returns in the batch's feature buffer.
///
/// Why per row with a seed handed in: a waveform augmentation (DIR/ADIR, FOA channel swap) draws per
/// clip, and the stream makes the seed from (seed, epoch, batch, rank, position in the batch) —
/// `SplitMix64(seed: seed, key: "waveform#<epoch>#<batch>#<rank>#<i>").next()` — so every epoch
/// draws afresh while a resumed run, or any reader thread, draws the same. An implementation must
/// draw only from that seed and may be called from several reader threads at once.
public protocol WaveformTransform: Sendable {
    var name: String { get }
    /// The float32 column holding the waveform `[C, N]` (`audio/waveform`).
    var waveformColumn: String { get }
    /// Further float32 columns that follow the waveform's augmentation (a channel swap rotates a
    /// SELD row's `targets/doa`): the stream reads the ones the table has into `Batch.columns` and
    /// passes each row's values in `WaveformRow.columns` to be changed in place.
    var followingColumns: [String] { get }
    /// The features `[C, T, F]` (flattened, the stored feature column's row shape) of `row`.
    func features(of row: inout WaveformRow, seed: UInt64) throws -> [Float]
}

/// One row handed to a `WaveformTransform`.
public struct WaveformRow: Sendable {
    /// The row's number in the table (store or view) streamed.
    public let row: Int
    public let id: String
    /// The stored waveform, one array per channel.
    public var channels: [[Float]]
    /// This row's values of the transform's following columns that the table has.
    public var columns: [String: [Float]]

    public init(row: Int, id: String, channels: [[Float]], columns: [String: [Float]] = [:]) {
        self.row = row
        self.id = id
        self.channels = channels
        self.columns = columns
    }

    /// The seed of position `position` of batch `batch` of `epoch` for `rank` (the definition above).
    public static func seed(_ seed: UInt64, epoch: Int, batch: Int, rank: Int, position: Int) -> UInt64 {
        var generator = SplitMix64(seed: seed, key: "waveform#\(epoch)#\(batch)#\(rank)#\(position)")
        return generator.next()
    }
}
