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
                out.append(Prediction(id: id, probabilities: Array(p[(k * classes)..<((k + 1) * classes)])))
            }
        }
        return out
    }

    static func probabilities(_ model: TrainedModel, batch: Batch) -> [Float] {
        var x = BandStatistics.compute(batch.features, shape: batch.shape)
        model.standardizer.apply(&x)
        return SoftmaxCrossEntropy.probabilities(model.network.forward(x, rows: batch.count).logits, classes: model.classes.count)
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
