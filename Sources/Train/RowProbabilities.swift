import Stream

/// One prediction per table row from batches that may hold several windows of a row (sliding
/// crops of a whole recording): the mean of the windows' class probabilities.
///
/// Probabilities, not logits, are averaged: the mean is the posterior of a classifier that looks
/// at one window drawn at random, so every window counts equally and one window's extreme logit
/// cannot outvote the rest (a mean of logits is a product of probabilities); and a row with one
/// window gets its probabilities unchanged, so fixed-length rows predict exactly as before.
/// Sums are Double and in window order, so the result does not depend on the batch size.
struct RowProbabilities {
    private(set) var rows: [Int] = []
    private var ids: [String] = []
    private var labels: [Int32] = []
    private var sums: [[Double]] = []
    private var windows: [Int] = []
    private var slot: [Int: Int] = [:]
    let classes: Int

    init(classes: Int) { self.classes = classes }

    /// Adds the batch's [B, K] probabilities.
    mutating func add(_ batch: Batch, probabilities: [Float]) {
        for (k, row) in batch.rows.enumerated() {
            let index: Int
            if let known = slot[row] {
                index = known
            } else {
                index = rows.count
                slot[row] = index
                rows.append(row)
                ids.append(batch.ids[k])
                labels.append(batch.labels?[k] ?? -1)
                sums.append([Double](repeating: 0, count: classes))
                windows.append(0)
            }
            for c in 0..<classes { sums[index][c] += Double(probabilities[k * classes + c]) }
            windows[index] += 1
        }
    }

    /// The rows' mean probabilities, in the order the rows first appeared (table order for an
    /// unshuffled stream).
    var predictions: [Predictor.Prediction] {
        rows.indices.map { i in
            Predictor.Prediction(id: ids[i], probabilities: sums[i].map { Float($0 / Double(windows[i])) }, row: rows[i])
        }
    }

    /// The fraction of labelled rows whose most probable class is their label.
    var accuracy: Double {
        var correct = 0
        var total = 0
        for (prediction, label) in zip(predictions, labels) where label >= 0 {
            total += 1
            if Trainer.argmax(prediction.probabilities, classes: classes)[0] == Int(label) { correct += 1 }
        }
        return Double(correct) / Double(max(total, 1))
    }
}
