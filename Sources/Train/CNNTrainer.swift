import COpenBLAS
import DSP
import Foundation
import Randomness
import Store
import Stream

/// Trains the compact CNN on a store or view's training split, from the stream.
///
/// Deterministic whatever `options.threads` is: OpenBLAS runs single-threaded (its threaded sgemm
/// may split a sum differently), the convolutions run samples in parallel with fixed gradient groups
/// (`Parallel`), the initial weights come from the seed, the batches from (seed, epoch) and
/// dropout's masks from (seed, epoch, batch, layer). So the same options give the same checkpoints
/// byte for byte, and a run resumed from an epoch's checkpoint ends where an uninterrupted run does.
public enum CNNTrainer {
    /// Trains for `options.epochs` epochs; with `checkpoint` (written by `epochEnd` at an epoch's
    /// end), continues from its weights, running statistics, optimizer moments and stream position.
    public static func train(manifest url: URL, options: TrainOptions, resuming checkpoint: CNNCheckpoint? = nil,
                             checkpointPath: String = "checkpoint", blasThreads: Int = 1,
                             progress: (Trainer.EpochReport) -> Void = { _ in },
                             epochEnd: (CNNCheckpoint) throws -> Void = { _ in }) throws -> CNNCheckpoint {
        if let problem = options.validationProblem { throw TrainError.invalidOptions(problem) }
        guard options.model == .cnn else { throw TrainError.invalidOptions("CNNTrainer trains --model cnn, not \(options.model.rawValue)") }
        // Only the benchmark passes blasThreads > 1, to compare OpenBLAS's threads with the data-parallel passes.
        if blasThreads > 1 { openblas_set_num_threads(Int32(blasThreads)) } else { BLAS.useSingleThread() }
        defer { BLAS.useSingleThread() }
        ProcessHeap.keep(.everything)
        let architecture = options.cnn ?? CNNArchitecture()
        let reader = try StoreReader(manifest: url)
        try TrainingCrop.check(options.crop, reader: reader, features: options.features)
        let labels: LabelSource
        if let name = options.distillation?.targets ?? options.softTargets { labels = .both(name) } else { labels = .hardLabels }
        let streamOptions = StreamOptions(features: options.features, labels: labels,
                                          filter: RowFilter(splits: [options.trainSplit], labeled: options.softTargets == nil ? true : nil),
                                          batchSize: options.batchSize, dropLast: true, shuffle: true, seed: options.seed,
                                          readers: options.readers, crop: options.crop?.training)
        let table = try StreamTable(reader: reader, options: streamOptions)
        let classes = reader.classes.count
        guard classes >= 2 else { throw TrainError.invalidOptions("\(url.path) has \(classes) class(es); a classifier needs two") }
        guard table.featureShape.count == 3 else {
            throw TrainError.invalidOptions("\(url.path): '\(options.features)' is \(table.featureShape); the CNN needs [C, T, F] rows")
        }
        guard table.selectedCount >= options.batchSize else {
            throw TrainError.invalidOptions("\(url.path): split '\(options.trainSplit)' has \(table.selectedCount) training rows, fewer than one batch of \(options.batchSize)")
        }
        let shape = MapShape(channels: table.featureShape[0], height: table.featureShape[1], width: table.featureShape[2])
        if let problem = architecture.problem(input: shape) { throw TrainError.invalidOptions("\(url.path): \(problem)") }
        if let problem = options.augmentation?.problem(featureShape: table.featureShape) {
            throw TrainError.invalidOptions("\(url.path): \(problem)")
        }
        // Online DIR/ADIR or FOA swaps on /audio/waveform, then the store's own features (as the MLP's trainer).
        let waveform = try options.augmentation?.waveform.map { try OnlineWaveformFeatures(reader: reader, feature: options.features, augmentation: $0) }
        if let checkpoint { try check(checkpoint, path: checkpointPath, options: options, reader: reader) }
        let net: ConvNet
        var header: CNNCheckpoint.Header
        if let checkpoint {
            net = checkpoint.network()
            header = checkpoint.header
        } else {
            net = ConvNet(architecture: architecture, input: shape, classes: classes, seed: options.seed)
            header = CNNCheckpoint.Header(architecture: architecture, features: options.features, featureShape: table.featureShape,
                                          classes: reader.classes, storeConfigHash: reader.rootConfigHash, options: options,
                                          optimizer: Optimizer(kind: options.optimizer, learningRate: options.learningRate,
                                                               weightDecay: options.weightDecay),
                                          position: StreamPosition(seed: options.seed),
                                          parameterCount: net.parameterCount, stateCount: net.stateCount)
        }
        // The checkpoint records what the run computes, not how fast: reader and worker threads
        // change no result, so a resumed run may change them and still write the same bytes.
        header.options = options
        header.options.readers = 1
        header.options.threads = 1
        let valid = try options.validSplit.flatMap { split -> StreamTable? in
            let count = try zip(reader.readStrings("meta/split"), reader.readInt32("meta/label")).filter { $0 == split && $1 >= 0 }.count
            guard count > 0 else { return nil }
            return try StreamTable(reader: reader, options: StreamOptions(
                features: options.features, filter: RowFilter(splits: [split], labeled: true), batchSize: min(64, count),
                dropLast: false, shuffle: false, crop: options.crop?.evaluation))
        }
        let stream = try BatchStream(table: table, epochs: options.epochs, from: header.position,
                                     transforms: options.augmentation?.transforms(classes: classes) ?? [], waveform: waveform)
        let batchesPerEpoch = stream.batchCount(epoch: 0)
        let schedule = options.schedule ?? LearningRateSchedule()
        var epochLoss = 0.0
        var correct = 0
        var seen = 0
        var labelled = 0
        var started = Date()
        while let batch = try stream.next() {
            var batchRandom = SplitMix64(seed: options.seed, key: "cnn-batch-\(batch.epoch)-\(batch.index)")
            let seed = batchRandom.next()
            let logits = net.forward(batch.features, batch: batch.count, training: true, randomSeed: seed, threads: options.threads)
            let (loss, gradient) = try loss(logits: logits, batch: batch, options: options, classes: classes)
            guard loss.isFinite else { throw TrainError.diverged(epoch: batch.epoch, batch: batch.index, loss: loss) }
            let weightGradient = net.backward(gradient, batch: batch.count, threads: options.threads)
            let rate = schedule.rate(base: options.learningRate, epoch: batch.epoch, batch: batch.index,
                                     batchesPerEpoch: batchesPerEpoch, epochs: options.epochs)
            header.optimizer.update(&net.parameters, gradient: weightGradient, learningRate: rate)
            epochLoss += loss * Double(batch.count)
            let truth = batch.labels ?? []
            for (guess, label) in zip(Trainer.argmax(logits, classes: classes), truth) where label >= 0 {
                labelled += 1
                if guess == Int(label) { correct += 1 }
            }
            seen += batch.count
            header.position = stream.position
            if stream.position.epoch != batch.epoch {
                let seconds = Date().timeIntervalSince(started)
                let current = CNNCheckpoint(header: header, parameters: net.parameters, state: net.state)
                let validAccuracy = try valid.map { try accuracy(of: current, on: $0, threads: options.threads) }
                var report = Trainer.EpochReport(epoch: batch.epoch, loss: epochLoss / Double(seen),
                                                 trainAccuracy: Double(correct) / Double(max(labelled, 1)), validAccuracy: validAccuracy,
                                                 clipsPerSecond: Double(seen) / max(seconds, 1e-9))
                report.seconds = Date().timeIntervalSince(started)
                report.learningRate = Double(rate)
                progress(report)
                try epochEnd(current)
                (epochLoss, correct, seen, labelled) = (0, 0, 0, 0)
                started = Date()
            }
        }
        return CNNCheckpoint(header: header, parameters: net.parameters, state: net.state)
    }

    /// The batch's mean loss and its gradient with respect to the logits.
    static func loss(logits: [Float], batch: Batch, options: TrainOptions, classes: Int) throws -> (Double, [Float]) {
        if let distillation = options.distillation {
            guard let teacher = batch.targets, let labels = batch.labels, batch.targetWidth == classes else {
                throw TrainError.invalidOptions("distillation needs targets/\(distillation.targets) of width \(classes) and hard labels")
            }
            return distillation.loss(logits: logits, labels: labels, teacher: teacher, classes: classes)
        }
        if let targets = batch.targets {
            guard batch.targetWidth == classes else {
                throw TrainError.invalidOptions("soft targets of width \(batch.targetWidth ?? 0), the view has \(classes) classes")
            }
            return SoftmaxCrossEntropy.loss(logits: logits, targets: targets, classes: classes)
        }
        let labels = batch.labels ?? []
        return SoftmaxCrossEntropy.loss(logits: logits, targets: SoftmaxCrossEntropy.oneHot(labels, classes: classes), classes: classes)
    }

    /// Refuses a checkpoint that is not this run's: other options, another store, other features or classes.
    static func check(_ checkpoint: CNNCheckpoint, path: String, options: TrainOptions, reader: StoreReader) throws {
        var same = checkpoint.header.options
        same.epochs = options.epochs
        same.readers = options.readers
        same.threads = options.threads
        if same != options {
            throw TrainError.incompatible(model: path, reason: "it was trained with other options (\(checkpoint.header.options)), not \(options)")
        }
        if options.schedule?.kind == .cosine, checkpoint.header.options.epochs != options.epochs {
            throw TrainError.incompatible(model: path, reason:
                "its cosine schedule spans \(checkpoint.header.options.epochs) epochs; resume with --epochs \(checkpoint.header.options.epochs)")
        }
        if let problem = checkpoint.mismatch(with: reader) { throw TrainError.incompatible(model: path, reason: problem) }
        if checkpoint.header.storeConfigHash != reader.rootConfigHash {
            throw TrainError.incompatible(model: path, reason:
                "trained on a store of config hash \(checkpoint.header.storeConfigHash.prefix(12))…, this one is \(reader.rootConfigHash.prefix(12))…")
        }
        if checkpoint.position.batch != 0 || checkpoint.position.epoch > options.epochs {
            throw TrainError.incompatible(model: path, reason:
                "it stopped at epoch \(checkpoint.position.epoch), batch \(checkpoint.position.batch); resume needs an epoch's end within --epochs \(options.epochs)")
        }
    }

    /// The accuracy `pipe predict` and `pipe evaluate` would report on `table`'s rows: each row's
    /// windows' probabilities averaged (`RowProbabilities`), one vote per row.
    static func accuracy(of checkpoint: CNNCheckpoint, on table: StreamTable, threads: Int) throws -> Double {
        let stream = try BatchStream(table: table, epochs: 1)
        let net = checkpoint.network()
        var rows = RowProbabilities(classes: net.classes)
        while let batch = try stream.next() {
            let logits = net.forward(batch.features, batch: batch.count, training: false, threads: threads)
            rows.add(batch, probabilities: SoftmaxCrossEntropy.probabilities(logits, classes: net.classes))
        }
        return rows.accuracy
    }
}
