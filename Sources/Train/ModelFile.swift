import Foundation
import Store
import Stream

/// A model `pipe predict` can apply: the MLP's JSON model file or a CNN checkpoint (HDF5), told
/// apart by their content (an HDF5 file starts with its signature), never by a guess from the name.
public enum ModelFile: Sendable {
    case mlp(TrainedModel)
    case cnn(CNNCheckpoint)

    public static func load(from url: URL) throws -> ModelFile {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw TrainError.badFile(path: url.path, reason: missing ? "no such model file" : "cannot read the model file")
        }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        try? handle.close()
        if head == Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) { return .cnn(try CNNCheckpoint.load(from: url)) }
        return .mlp(try TrainedModel.load(from: url))
    }

    public var classes: [String] {
        switch self { case let .mlp(m): return m.classes; case let .cnn(c): return c.classes }
    }

    public var features: String {
        switch self { case let .mlp(m): return m.features; case let .cnn(c): return c.features }
    }

    /// Rows per prediction batch: the CNN keeps every layer's activations of a batch.
    var batchSize: Int {
        switch self { case .mlp: return 256; case .cnn: return 32 }
    }

    func mismatch(with reader: StoreReader) -> String? {
        switch self { case let .mlp(m): return m.mismatch(with: reader); case let .cnn(c): return c.mismatch(with: reader) }
    }

    /// The sliding windows a whole-recording (variable-length) column is predicted on: the CNN's
    /// input length T, at the hop it was trained with (`--crop-hop`, default T); nil for
    /// fixed-length rows, which are read whole.
    func windows(over reader: StoreReader) -> FrameCrop? {
        guard case let .cnn(checkpoint) = self,
              reader.columns.first(where: { $0.name == features })?.isVariableLength == true else { return nil }
        let frames = checkpoint.header.featureShape[1]
        return FrameCrop(frames: frames, mode: .sliding(hop: checkpoint.header.options.crop?.hop ?? frames))
    }

    /// A function from a batch to its class probabilities [B, K] (evaluation mode), made once per
    /// prediction run (the CNN's layers are built once).
    func classifier(threads: Int) -> (Batch) -> [Float] {
        switch self {
        case let .mlp(model):
            return { Predictor.probabilities(model, batch: $0) }
        case let .cnn(checkpoint):
            ProcessHeap.keep(.everything)
            let net = checkpoint.network()
            return { batch in
                SoftmaxCrossEntropy.probabilities(net.forward(batch.features, batch: batch.count, training: false, threads: threads),
                                                  classes: net.classes)
            }
        }
    }
}
