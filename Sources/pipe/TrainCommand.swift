import ArgumentParser
import Foundation
import Train

/// `pipe train STORE_OR_VIEW --out MODEL`: the reference classifier, trained from the stream.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier (band-statistics MLP, or the compact CNN with --model cnn; OpenBLAS) on a store or view.",
        discussion: "Trains on the labelled rows of --train-split, reports accuracy on --valid-split each epoch. Same options, same model file. The MLP writes JSON (--out MODEL.json, epoch-NNN.json); the CNN HDF5 (--out MODEL.h5, epoch-NNN.h5).")

    @Argument(help: "Store (or view) folder or manifest.json.")
    var store: String

    @Option(help: "Model file to write (JSON for the MLP, .h5 for the CNN).")
    var out: String

    @Option(help: "Feature column.")
    var features: String = "features/logmel"

    @Option(help: "Epochs.")
    var epochs: Int = 10

    @Option(help: "Batch size.")
    var batch: Int = 32

    @Option(help: "MLP: hidden units (default 64).")
    var hidden: Int?

    @Option(help: "Learning rate.")
    var learningRate: Float = 1e-3

    @Option(help: "Weight decay (decoupled).")
    var weightDecay: Float = 1e-4

    @Option(help: "Optimizer: adam or sgd.")
    var optimizer: String = "adam"

    @Option(help: "Seed of the initial weights and of the stream's shuffle.")
    var seed: UInt64 = 0

    @Option(help: "Split to train on.")
    var trainSplit: String = "train"

    @Option(help: "Split to validate on each epoch ('none' to skip).")
    var validSplit: String = "validation"

    @Option(help: "Stream reader threads.")
    var readers: Int = 1

    @Option(help: "Online mixup with Beta(ALPHA, ALPHA) and soft targets (e.g. 0.3).")
    var mixup: Double?

    @Option(name: .customLong("freq-mixstyle"), help: "Online Freq-MixStyle as ALPHA,P (e.g. 0.3,0.4).")
    var freqMixStyle: String?

    @Option(help: "Online frequency masking: torchaudio freq_mask_param in bins.")
    var freqMask: Int?

    @Option(help: "Online time masking: torchaudio time_mask_param in frames.")
    var timeMask: Int?

    @Option(help: "Online frequency shift: freq_shift_range (shifts of 1..S-1 bins, p 0.5).")
    var freqShift: Int?

    @Option(help: "Online DIR: convolve training rows' audio/waveform with a response from BANK_DIR (*.wav), then recompute the features.")
    var dir: String?

    @Option(help: "DIR probability (ADIR's p_A); default 0.6.")
    var dirProb: Double?

    @Option(help: "Online ADIR instead of DIR: convolve only rows whose energy (sum of squares) exceeds E.")
    var adirThreshold: Double?

    @Option(help: "Devices (meta/device) DIR convolves, comma-separated, or 'all'; default a.")
    var dirDevices: String?

    @Option(help: "Online FOA channel swap with probability P (16 transforms), DOA targets rotated alike.")
    var foaSwap: Double?

    @OptionGroup(title: "Model, loss and schedule")
    var network: TrainCNNArguments

    @Option(help: "Folder to write epoch-NNN.json (MLP) or epoch-NNN.h5 (CNN) checkpoints into after each epoch.")
    var checkpoint: String?

    @Flag(help: "Continue from the latest checkpoint in --checkpoint (same options; --epochs may grow).")
    var resume = false

    @Flag(help: "Replace an existing model file.")
    var overwrite = false

    func run() throws {
        guard let kind = Optimizer.Kind(rawValue: optimizer) else {
            throw ValidationError("--optimizer '\(optimizer)': adam or sgd")
        }
        var augmentation = OnlineAugmentation(mixupAlpha: mixup, freqMask: freqMask, timeMask: timeMask, freqShift: freqShift)
        if let freqMixStyle {
            let parts = freqMixStyle.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let alpha = parts[0], let p = parts[1] else {
                throw ValidationError("--freq-mixstyle '\(freqMixStyle)': expected ALPHA,P (e.g. 0.3,0.4)")
            }
            (augmentation.freqMixStyleAlpha, augmentation.freqMixStyleP) = (alpha, p)
        }
        do {
            augmentation.waveform = try OnlineWaveformAugmentation.parse(bank: dir, dirProb: dirProb, adirThreshold: adirThreshold,
                                                                   devices: dirDevices, foaSwap: foaSwap)
        } catch { throw ValidationError("nothing was trained: \(error)") }
        if let problem = augmentation.validationProblem { throw ValidationError("nothing was trained: \(problem)") }
        let output = URL(fileURLWithPath: out)
        if FileManager.default.fileExists(atPath: output.path), !overwrite {
            throw ValidationError("\(output.path) exists; nothing was trained (pass --overwrite to replace it)")
        }
        var options = TrainOptions(features: features, epochs: epochs, batchSize: batch, hidden: hidden ?? 64, learningRate: learningRate,
                                   weightDecay: weightDecay, optimizer: kind, seed: seed, trainSplit: trainSplit,
                                   validSplit: validSplit == "none" ? nil : validSplit, readers: readers,
                                   augmentation: augmentation.isEmpty ? nil : augmentation)
        try network.apply(to: &options)
        if options.model == .cnn, hidden != nil { throw ValidationError("--hidden is the MLP's; the CNN's layout is --channels") }
        if options.model == .cnn {
            guard output.pathExtension == "h5" else { throw ValidationError("--out \(output.path): a CNN model is HDF5; name it MODEL.h5") }
            try TrainCNNRun(store: store, output: output, checkpoint: checkpoint, resume: resume, options: options).run()
            return
        }
        let folder = checkpoint.map { URL(fileURLWithPath: $0) }
        var start: TrainedModel?
        var startPath = ""
        if resume {
            guard let folder else { throw ValidationError("--resume needs --checkpoint DIR") }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard let latest = names.filter({ $0.hasPrefix("epoch-") && $0.hasSuffix(".json") }).sorted().last else {
                let others = names.filter { $0.hasPrefix("epoch-") }.sorted()
                throw ValidationError("--resume: no epoch-NNN.json checkpoint in \(folder.path)"
                    + (others.last.map { " (it holds \($0): another model's checkpoints)" } ?? ""))
            }
            startPath = folder.appendingPathComponent(latest).path
            start = try TrainedModel.load(from: URL(fileURLWithPath: startPath))
            print("resuming from \(startPath)")
        } else if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
                  names.contains(where: { $0.hasPrefix("epoch-") }) {
            throw ValidationError("\(folder.path) holds checkpoints already; pass --resume to continue, or choose another folder")
        }
        if let folder { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let model = try Trainer.train(manifest: manifestURL(store), options: options, resuming: start, checkpointPath: startPath,
                                      progress: { report in
            let valid = report.validAccuracy.map { String(format: ", valid accuracy %.1f%%", $0 * 100) } ?? ""
            print(String(format: "epoch %d: loss %.4f, train accuracy %.1f%%%@, %.0f clips/s", report.epoch + 1, report.loss,
                         report.trainAccuracy * 100, valid, report.clipsPerSecond))
        }, epochEnd: { model in
            guard let folder else { return }
            try model.write(to: folder.appendingPathComponent(String(format: "epoch-%03d.json", model.position.epoch)))
        })
        try model.write(to: output)
        print("wrote \(output.path)")
    }
}
