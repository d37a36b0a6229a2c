import ArgumentParser
import Train

/// `pipe train`'s options for the CNN, its loss and its schedule (an option group, so the train
/// command's own list stays short).
struct TrainCNNArguments: ParsableArguments {
    @Option(help: "Model: mlp (band statistics → MLP) or cnn (conv 3×3 blocks on the whole spectrogram).")
    var model: String = "mlp"

    @Option(help: "CNN: output channels of each conv block (default 16,32,64; 2×2 pooling between blocks).")
    var channels: String?

    @Option(help: "CNN: pooling between blocks, max (default) or avg.")
    var pool: String?

    @Option(help: "CNN: head pooling, time (default: mean over time, frequency bands kept) or global (mean over the map).")
    var head: String?

    @Option(help: "CNN: dropout probability before the linear layer (default 0.2).")
    var dropout: Float?

    @Option(help: "Learning-rate schedule: constant, cosine (CosineAnnealingLR per step) or step (StepLR per epoch).")
    var schedule: String = "constant"

    @Option(help: "Linear warmup epochs before the schedule (LinearLR).")
    var warmupEpochs: Int = 0

    @Option(help: "StepLR step_size in epochs.")
    var stepEpochs: Int = 10

    @Option(help: "StepLR gamma.")
    var gamma: Double = 0.1

    @Option(help: "CNN: train on soft targets targets/NAME (cross-entropy) instead of the hard labels.")
    var softTargets: String?

    @Option(help: "CNN: distil from teacher soft targets targets/NAME plus the hard labels (seed 001 Eq. 5).")
    var distill: String?

    @Option(help: "Distillation: λ, the weight of the hard-label loss (Eq. 5; default 0.5).")
    var kdLambda: Double?

    @Option(help: "Distillation: the student's softmax temperature T (the KL term is scaled by T²; default 1).")
    var temperature: Double?

    @Option(help: "CNN on whole recordings (audio.length: keep): train on a random crop of T feature frames per recording and epoch.")
    var crop: Int?

    @Option(help: "With --crop: hop in frames of the sliding windows validation and pipe predict average over (default T).")
    var cropHop: Int?

    @Option(help: "CNN: threads of the data-parallel passes (results do not depend on it).")
    var threads: Int = 2

    /// Fills the CNN, loss and schedule fields of `options`, or names the bad option.
    func apply(to options: inout TrainOptions) throws {
        guard let kind = TrainOptions.Model(rawValue: model) else { throw ValidationError("--model '\(model)': mlp or cnn") }
        options.model = kind
        guard let scheduleKind = LearningRateSchedule.Kind(rawValue: schedule) else {
            throw ValidationError("--schedule '\(schedule)': constant, cosine or step")
        }
        if scheduleKind != .constant || warmupEpochs != 0 {
            options.schedule = LearningRateSchedule(kind: scheduleKind, warmupEpochs: warmupEpochs, stepEpochs: stepEpochs, gamma: gamma)
        }
        options.threads = threads
        let cnnOnly: [(String, Bool)] = [("--channels", channels != nil), ("--pool", pool != nil), ("--head", head != nil),
                                         ("--dropout", dropout != nil), ("--soft-targets", softTargets != nil), ("--distill", distill != nil),
                                         ("--crop", crop != nil), ("--crop-hop", cropHop != nil)]
        guard kind == .cnn else {
            if let given = cnnOnly.first(where: \.1) { throw ValidationError("\(given.0) needs --model cnn") }
            return
        }
        if crop == nil, cropHop != nil { throw ValidationError("--crop-hop needs --crop T") }
        options.crop = crop.map { TrainingCrop(frames: $0, hop: cropHop) }
        if distill == nil, kdLambda != nil || temperature != nil { throw ValidationError("--kd-lambda and --temperature need --distill NAME") }
        let channels = self.channels ?? "16,32,64"
        let widths = channels.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--channels '\(channels)': expected integers separated by commas, e.g. 16,32,64")
        }
        options.cnn = CNNArchitecture(channels: widths.map { $0! }, pool: pool ?? "max", dropout: dropout ?? 0.2, head: head ?? "time")
        options.softTargets = softTargets
        options.distillation = distill.map { Distillation(targets: $0, lambda: kdLambda ?? 0.5, temperature: temperature ?? 1) }
    }
}
