import Foundation
import Labels
import Store
import Stream

/// Class probabilities of every selected row of a store or view, and the predictions CSV.
///
/// The predictions CSV is `Labels.PredictionsFile` (the one definition of the format, which the
/// pseudo-label tools and `Evaluation` read): one line per row in table order.
public enum Predictor {
    public struct Prediction: Equatable, Sendable {
        public var id: String
        public var probabilities: [Float]
        /// The row's number in the table predicted on.
        public var row: Int = -1

        public init(id: String, probabilities: [Float], row: Int = -1) {
            self.id = id
            self.probabilities = probabilities
            self.row = row
        }
    }

    public static func predict(_ model: TrainedModel, modelPath: String, manifest url: URL, split: String? = nil) throws -> [Prediction] {
        try predict(.mlp(model), modelPath: modelPath, manifest: url, split: split)
    }

    /// Probabilities of every row of `url` (of `split` when given), in table order.
    public static func predict(_ model: ModelFile, modelPath: String, manifest url: URL, split: String? = nil,
                               threads: Int = 1) throws -> [Prediction] {
        let reader = try StoreReader(manifest: url)
        if let problem = model.mismatch(with: reader) { throw TrainError.incompatible(model: modelPath, reason: problem) }
        let options = StreamOptions(features: model.features, labels: .none,
                                    filter: RowFilter(splits: split.map { [$0] }), batchSize: model.batchSize,
                                    dropLast: false, shuffle: false, crop: model.windows(over: reader))
        let table: StreamTable
        do {
            table = try StreamTable(reader: reader, options: options)
        } catch StreamError.tooFewRows {
            // Kept batches may be short here: only no rows at all is too few.
            throw TrainError.badFile(path: reader.manifestURL.path, reason: "no rows\(split.map { " in split '\($0)'" } ?? "") to predict")
        }
        let stream = try BatchStream(table: table, epochs: 1)
        var rows = RowProbabilities(classes: model.classes.count)
        let classify = model.classifier(threads: threads)
        while let batch = try stream.next() { rows.add(batch, probabilities: classify(batch)) }
        return rows.predictions
    }

    static func probabilities(_ model: TrainedModel, batch: Batch) -> [Float] {
        var x = BandStatistics.compute(batch.features, shape: batch.shape)
        model.standardizer.apply(&x)
        return SoftmaxCrossEntropy.probabilities(model.network.forward(x, rows: batch.count).logits, classes: model.classes.count)
    }

    /// Writes the predicted rows as a view of `manifest` at `directory` with one added column,
    /// `targets/<name>` float32 [K] (the probabilities; no features copied), which a stream reads as
    /// soft targets (`LabelSource.soft(name)`).
    @discardableResult
    public static func writeView(_ predictions: [Prediction], manifest url: URL, directory: URL, name: String,
                                 modelHash: String, overwrite: Bool = false) throws -> Manifest {
        guard !name.isEmpty, !name.contains("/") else { throw TrainError.invalidOptions("target name '\(name)' must be a plain name") }
        let reader = try StoreReader(manifest: url)
        let width = predictions.first?.probabilities.count ?? 0
        let column = ColumnSpec(name: "targets/\(name)", dtype: .float32, rowShape: [width])
        let writer = try ViewWriter(parent: reader, directory: directory, stage: "predict", configHash: modelHash,
                                    rows: predictions.map(\.row), columns: [column], overwrite: overwrite)
        for prediction in predictions { try writer.append([column.name: .float32(prediction.probabilities)]) }
        return try writer.commit()
    }

    /// Checks, before anything is predicted, that a predictions view may be written at `directory`
    /// (`OutputFolder.claimForView`: a store, another view or foreign files are refused unless
    /// `overwrite`), and returns the view's config hash: the model file's bytes, the split and the
    /// column name, so the same prediction rerun rewrites its own view and another is refused.
    public static func claimView(_ directory: URL, model: URL, split: String?, name: String, overwrite: Bool) throws -> String {
        guard !name.isEmpty, !name.contains("/") else { throw TrainError.invalidOptions("target name '\(name)' must be a plain name") }
        let modelHash = try FileDigest.of(model).sha256
        let configHash = SHA256Hasher.hex(of: Data("predict|\(modelHash)|\(split ?? "")|\(name)".utf8))
        try OutputFolder(root: directory).claimForView(configHash: configHash, overwrite: overwrite)
        return configHash
    }

    /// The predictions as the one predictions file type (`Labels.PredictionsFile`, which defines the
    /// CSV the pseudo-label tools and `pipe evaluate` read); `predicted` is the argmax of the float
    /// probabilities (the first on a tie), taken before rounding to text.
    public static func file(_ predictions: [Prediction], classes: [String]) -> PredictionsFile {
        PredictionsFile(classes: classes, ids: predictions.map(\.id),
                        probabilities: predictions.map { $0.probabilities.map(Double.init) },
                        predicted: predictions.map { Trainer.argmax($0.probabilities, classes: classes.count)[0] })
    }
}
