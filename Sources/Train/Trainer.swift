import DSP
import Foundation
import Store
import Stream

/// Trains the reference model on a store or view's training split, from the stream.
///
/// Deterministic: OpenBLAS runs single-threaded (its threaded sgemm may sum in another order), the
/// weights start from the seed and the stream's batches are a function of (seed, epoch), so the
/// same options give the same model file byte for byte.
public enum Trainer {
    public struct EpochReport: Equatable, Sendable {
        public var epoch: Int
        public var loss: Double
        public var trainAccuracy: Double
        public var validAccuracy: Double?
        public var clipsPerSecond: Double
        /// The epoch's wall time (for an ETA) and the learning rate of its last step.
        public var seconds: Double = 0
        public var learningRate: Double = 0
    }

    /// Trains for `options.epochs` epochs; with `checkpoint` (a model saved at an epoch's end by
    /// `epochEnd`, e.g. `pipe train --checkpoint`), continues from its weights, optimizer state and
    /// stream position, so the result equals an uninterrupted run's, weight for weight.
    public static func train(manifest url: URL, options: TrainOptions, resuming checkpoint: TrainedModel? = nil,
                             checkpointPath: String = "checkpoint",
                             progress: (EpochReport) -> Void = { _ in },
                             epochEnd: (TrainedModel) throws -> Void = { _ in }) throws -> TrainedModel {
        if let problem = options.validationProblem { throw TrainError.invalidOptions(problem) }
        BLAS.useSingleThread()
        let reader = try StoreReader(manifest: url)
        try TrainingCrop.check(options.crop, reader: reader, features: options.features)
        let streamOptions = StreamOptions(features: options.features, labels: .hardLabels,
                                          filter: RowFilter(splits: [options.trainSplit], labeled: true),
                                          batchSize: options.batchSize, dropLast: true, shuffle: true, seed: options.seed,
                                          readers: options.readers)
        let table = try StreamTable(reader: reader, options: streamOptions)
        let classes = reader.classes.count
        guard classes >= 2 else { throw TrainError.invalidOptions("\(url.path) has \(classes) class(es); a classifier needs two") }
        let width = BandStatistics.width(featureShape: table.featureShape)
        if let problem = options.augmentation?.problem(featureShape: table.featureShape) {
            throw TrainError.invalidOptions("\(url.path): \(problem)")
        }
        let waveform = try options.augmentation?.waveform.map { try OnlineWaveformFeatures(reader: reader, feature: options.features, augmentation: $0) }
        if let checkpoint {
            var same = checkpoint.options
            same.epochs = options.epochs
            same.readers = options.readers
            same.threads = options.threads
            if same != options {
                throw TrainError.incompatible(model: checkpointPath, reason: "it was trained with other options (\(checkpoint.options)), not \(options)")
            }
            if let problem = checkpoint.mismatch(with: reader) { throw TrainError.incompatible(model: checkpointPath, reason: problem) }
            if checkpoint.storeConfigHash != reader.rootConfigHash {
                throw TrainError.incompatible(model: checkpointPath, reason:
                    "trained on a store of config hash \(checkpoint.storeConfigHash.prefix(12))…, this one is \(reader.rootConfigHash.prefix(12))…")
            }
            if checkpoint.position.batch != 0 || checkpoint.position.epoch > options.epochs {
                throw TrainError.incompatible(model: checkpointPath, reason:
                    "it stopped at epoch \(checkpoint.position.epoch), batch \(checkpoint.position.batch); resume needs an epoch's end within --epochs \(options.epochs)")
            }
        }
        let standardizer = try checkpoint?.standardizer ?? measureScaling(reader: reader, options: streamOptions, width: width)
        var model = checkpoint ?? TrainedModel(features: options.features, featureShape: table.featureShape, classes: reader.classes,
                                 storeConfigHash: reader.rootConfigHash, standardizer: standardizer,
                                 network: MLPClassifier(inputs: width, hidden: options.hidden, classes: classes, seed: options.seed),
                                 options: options,
                                 optimizer: Optimizer(kind: options.optimizer, learningRate: options.learningRate,
                                                      weightDecay: options.weightDecay),
                                 position: StreamPosition(seed: options.seed))
        let valid = try options.validSplit.flatMap { split -> StreamTable? in
            let count = try zip(reader.readStrings("meta/split"), reader.readInt32("meta/label")).filter { $0 == split && $1 >= 0 }.count
            guard count > 0 else { return nil }
            return try StreamTable(reader: reader, options: StreamOptions(
                features: options.features, filter: RowFilter(splits: [split], labeled: true), batchSize: min(256, count),
                dropLast: false, shuffle: false))
        }
        model.options = options
        let stream = try BatchStream(table: table, epochs: options.epochs, from: model.position,
                                     transforms: options.augmentation?.transforms(classes: classes) ?? [], waveform: waveform)
        let batchesPerEpoch = stream.batchCount(epoch: 0)
        var epochLoss = 0.0
        var correct = 0
        var seen = 0
        var started = Date()
        while let batch = try stream.next() {
            var x = BandStatistics.compute(batch.features, shape: batch.shape)
            model.standardizer.apply(&x)
            let forward = model.network.forward(x, rows: batch.count)
            let labels = batch.labels ?? []
            // Mixup leaves soft targets in the batch; otherwise the hard labels, one-hot.
            let targets = batch.targets ?? SoftmaxCrossEntropy.oneHot(labels, classes: classes)
            let (loss, gradient) = SoftmaxCrossEntropy.loss(logits: forward.logits, targets: targets, classes: classes)
            guard loss.isFinite else { throw TrainError.diverged(epoch: batch.epoch, batch: batch.index, loss: loss) }
            let weightGradient = model.network.backward(x, rows: batch.count, forward: forward, logitGradient: gradient)
            let rate = (options.schedule ?? LearningRateSchedule()).rate(base: options.learningRate, epoch: batch.epoch, batch: batch.index,
                                                                       batchesPerEpoch: batchesPerEpoch, epochs: options.epochs)
            model.optimizer.update(&model.network.weights, gradient: weightGradient, learningRate: rate)
            epochLoss += loss * Double(batch.count)
            correct += zip(argmax(forward.logits, classes: classes), labels).filter { $0 == Int($1) }.count
            seen += batch.count
            model.position = stream.position
            if stream.position.epoch != batch.epoch {
                let validAccuracy = try valid.map { try accuracy(of: model, on: $0) }
                progress(EpochReport(epoch: batch.epoch, loss: epochLoss / Double(seen),
                                     trainAccuracy: Double(correct) / Double(seen), validAccuracy: validAccuracy,
                                     clipsPerSecond: Double(seen) / max(Date().timeIntervalSince(started), 1e-9)))
                try epochEnd(model)
                epochLoss = 0
                correct = 0
                seen = 0
                started = Date()
            }
        }
        return model
    }

    /// Mean and scale of the model's inputs over the training rows (one ordered pass).
    static func measureScaling(reader: StoreReader, options: StreamOptions, width: Int) throws -> Standardizer {
        var pass = options
        pass.shuffle = false
        pass.dropLast = false
        pass.labels = .none
        pass.batchSize = 256
        let stream = try BatchStream(table: StreamTable(reader: reader, options: pass), epochs: 1)
        var accumulator = Standardizer.Accumulator(width: width)
        while let batch = try stream.next() {
            accumulator.add(BandStatistics.compute(batch.features, shape: batch.shape), rows: batch.count)
        }
        return accumulator.result
    }

    static func accuracy(of model: TrainedModel, on table: StreamTable) throws -> Double {
        let stream = try BatchStream(table: table, epochs: 1)
        var correct = 0
        var total = 0
        while let batch = try stream.next() {
            let probabilities = Predictor.probabilities(model, batch: batch)
            correct += zip(argmax(probabilities, classes: model.classes.count), batch.labels ?? []).filter { $0 == Int($1) }.count
            total += batch.count
        }
        return Double(correct) / Double(max(total, 1))
    }

    static func argmax(_ values: [Float], classes: Int) -> [Int] {
        (0..<(values.count / classes)).map { r in
            var best = 0
            for c in 1..<classes where values[r * classes + c] > values[r * classes + best] { best = c }
            return best
        }
    }
}
