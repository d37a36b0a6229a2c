import ArgumentParser
import Foundation
import Train

/// `pipe train --model cnn`: checkpoints `DIR/epoch-NNN.h5`, `--resume` from the latest, progress
/// with an ETA, the final model `--out MODEL.h5`.
struct TrainCNNRun {
    var store: String
    var output: URL
    var checkpoint: String?
    var resume: Bool
    var options: TrainOptions

    func run() throws {
        let folder = checkpoint.map { URL(fileURLWithPath: $0) }
        let names = folder.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        let checkpoints = names.filter { $0.hasPrefix("epoch-") && $0.hasSuffix(".h5") }.sorted()
        var start: CNNCheckpoint?
        var startPath = ""
        if resume {
            guard let folder else { throw ValidationError("--resume needs --checkpoint DIR") }
            guard let latest = checkpoints.last else {
                let others = names.filter { $0.hasPrefix("epoch-") }
                throw ValidationError("--resume: no epoch-NNN.h5 CNN checkpoint in \(folder.path)"
                    + (others.isEmpty ? "" : " (it holds \(others.sorted().last!): another model's checkpoints)"))
            }
            startPath = folder.appendingPathComponent(latest).path
            start = try CNNCheckpoint.load(from: URL(fileURLWithPath: startPath))
            print("resuming from \(startPath)")
        } else if let folder, names.contains(where: { $0.hasPrefix("epoch-") }) {
            throw ValidationError("\(folder.path) holds checkpoints already; pass --resume to continue, or choose another folder")
        }
        if let folder { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let total = options.epochs
        let model = try CNNTrainer.train(manifest: manifestURL(store), options: options, resuming: start, checkpointPath: startPath,
                                         progress: { report in
            let valid = report.validAccuracy.map { String(format: ", valid accuracy %.1f%%", $0 * 100) } ?? ""
            let left = Double(total - report.epoch - 1) * report.seconds
            print(String(format: "epoch %d/%d: loss %.4f, train accuracy %.1f%%%@, lr %.3g, %.1f clips/s, %.0f s, ETA %.0f s",
                         report.epoch + 1, total, report.loss, report.trainAccuracy * 100, valid, report.learningRate,
                         report.clipsPerSecond, report.seconds, left))
        }, epochEnd: { checkpoint in
            guard let folder else { return }
            try checkpoint.write(to: folder.appendingPathComponent(String(format: "epoch-%03d.h5", checkpoint.position.epoch)))
        })
        try model.write(to: output)
        print("wrote \(output.path) (\(model.parameters.count) parameters)")
    }
}
