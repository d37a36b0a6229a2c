import CSV
import Foundation
import Store
import Stream

/// Class probabilities of every selected row of a store or view, and the predictions CSV.
///
/// The predictions format (the one place it is defined; the pseudo-label tools read it):
/// a header `id,<one column per class name, in the model's class order>,predicted`, then one line
/// per row in table order: the row's `/meta/id`, its probabilities (`%.6f`, summing to 1 up to
/// rounding) and the name of the most probable class. RFC 4180 quoting, LF line ends.
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
        let reader = try StoreReader(manifest: url)
        if let problem = model.mismatch(with: reader) { throw TrainError.incompatible(model: modelPath, reason: problem) }
        let options = StreamOptions(features: model.features, labels: .none,
                                    filter: RowFilter(splits: split.map { [$0] }), batchSize: 256,
                                    dropLast: false, shuffle: false)
        let stream = try BatchStream(table: StreamTable(reader: reader, options: options), epochs: 1)
        var out: [Prediction] = []
        let classes = model.classes.count
        while let batch = try stream.next() {
            let p = probabilities(model, batch: batch)
            for (k, id) in batch.ids.enumerated() {
                out.append(Prediction(id: id, probabilities: Array(p[(k * classes)..<((k + 1) * classes)]), row: batch.rows[k]))
            }
        }
        return out
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
                                 modelHash: String) throws -> Manifest {
        guard !name.isEmpty, !name.contains("/") else { throw TrainError.invalidOptions("target name '\(name)' must be a plain name") }
        let reader = try StoreReader(manifest: url)
        let width = predictions.first?.probabilities.count ?? 0
        let column = ColumnSpec(name: "targets/\(name)", dtype: .float32, rowShape: [width])
        let writer = try ViewWriter(parent: reader, directory: directory, stage: "predict", configHash: modelHash,
                                    rows: predictions.map(\.row), columns: [column])
        for prediction in predictions { try writer.append([column.name: .float32(prediction.probabilities)]) }
        return try writer.commit()
    }

    public static func csv(_ predictions: [Prediction], classes: [String]) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: ["id"] + classes + ["predicted"])
        for prediction in predictions {
            let best = Trainer.argmax(prediction.probabilities, classes: classes.count)[0]
            try writer.write(row: [prediction.id] + prediction.probabilities.map { String(format: "%.6f", $0) } + [classes[best]])
        }
        writer.stream.close()
        var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        data.append(0x0A)
        return data
    }

    /// Reads a predictions CSV; the header must be `id,<classes…>,predicted`.
    public static func readCSV(_ url: URL) throws -> (classes: [String], predictions: [Prediction]) {
        guard let stream = InputStream(url: url) else { throw TrainError.badFile(path: url.path, reason: "cannot open") }
        let reader = try CSVReader(stream: stream, hasHeaderRow: true)
        guard let header = reader.headerRow, header.count >= 4, header.first == "id", header.last == "predicted" else {
            throw TrainError.badFile(path: url.path, reason: "header must be id,<class names…>,predicted")
        }
        let classes = Array(header.dropFirst().dropLast())
        var out: [Prediction] = []
        while let row = reader.next() {
            guard row.count == header.count else {
                throw TrainError.badFile(path: url.path, reason: "line \(out.count + 2) has \(row.count) fields, the header \(header.count)")
            }
            let values = row.dropFirst().dropLast().map { Float($0) }
            guard values.allSatisfy({ $0 != nil && $0!.isFinite }) else {
                throw TrainError.badFile(path: url.path, reason: "line \(out.count + 2) has a probability that is not a number")
            }
            out.append(Prediction(id: row[0], probabilities: values.map { $0! }))
        }
        return (classes, out)
    }
}
