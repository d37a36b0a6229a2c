/// The settings of `pipe train`.
public struct TrainOptions: Codable, Equatable, Sendable {
    /// Which network: the band-statistics MLP or the compact CNN on the whole spectrogram.
    public enum Model: String, Codable, Sendable, CaseIterable { case mlp, cnn }
    public var model: Model = .mlp
    /// The CNN's layout (`model == .cnn`).
    public var cnn: CNNArchitecture?
    /// The learning-rate schedule (nil: constant).
    public var schedule: LearningRateSchedule?
    /// Train on soft targets `/targets/<name>` instead of the hard labels (cross-entropy).
    public var softTargets: String?
    /// Seed 001 Eq. 5's distillation loss from teacher soft targets plus the hard labels.
    public var distillation: Distillation?
    /// Threads of the CNN's data-parallel passes. Not part of what a run computes (results are the
    /// same for any count), so a resumed run may change it.
    public var threads: Int = 1
    public var features: String
    public var epochs: Int
    public var batchSize: Int
    public var hidden: Int
    public var learningRate: Float
    public var weightDecay: Float
    public var optimizer: Optimizer.Kind
    public var seed: UInt64
    public var trainSplit: String
    /// Measured each epoch when the view has rows of this split; nil skips validation.
    public var validSplit: String?
    public var readers: Int
    /// Online augmentation of the training batches (nil: none), fresh every epoch from the seed.
    public var augmentation: OnlineAugmentation?
    /// Fixed-length crops of whole recordings (a variable-length feature column); nil: whole rows.
    public var crop: TrainingCrop?

    public init(features: String = "features/logmel", epochs: Int = 10, batchSize: Int = 32, hidden: Int = 64,
                learningRate: Float = 1e-3, weightDecay: Float = 1e-4, optimizer: Optimizer.Kind = .adam, seed: UInt64 = 0,
                trainSplit: String = "train", validSplit: String? = "validation", readers: Int = 1,
                augmentation: OnlineAugmentation? = nil) {
        self.features = features
        self.epochs = epochs
        self.batchSize = batchSize
        self.hidden = hidden
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.optimizer = optimizer
        self.seed = seed
        self.trainSplit = trainSplit
        self.validSplit = validSplit
        self.readers = readers
        self.augmentation = augmentation
    }

    var validationProblem: String? {
        if epochs < 1 { return "epochs \(epochs) must be at least 1" }
        if hidden < 1 { return "hidden units \(hidden) must be at least 1" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning rate \(learningRate) must be positive" }
        if !(weightDecay >= 0 && weightDecay.isFinite) { return "weight decay \(weightDecay) must be non-negative" }
        if let problem = augmentation?.validationProblem { return problem }
        if batchSize < 1 { return "batch size \(batchSize) must be at least 1" }
        if threads < 1 { return "threads \(threads) must be at least 1" }
        if let problem = schedule?.problem(epochs: epochs) { return problem }
        if let problem = distillation?.validationProblem { return problem }
        if let name = softTargets, name.isEmpty || name.contains("/") { return "soft targets '\(name)' must be a plain name under targets/" }
        if softTargets != nil, distillation != nil { return "soft targets and distillation exclude each other (distillation reads its own targets)" }
        if distillation != nil, augmentation?.mixupAlpha != nil { return "distillation with mixup is not supported (mixup would mix the hard labels only)" }
        if model == .cnn, let problem = (cnn ?? CNNArchitecture()).problem(input: nil) { return problem }
        if let problem = crop?.validationProblem { return problem }
        if model == .mlp, crop != nil { return "crops of whole recordings (--crop) need --model cnn" }
        if model == .mlp, cnn != nil { return "CNN layout options need --model cnn" }
        if model == .mlp, distillation != nil || softTargets != nil { return "soft targets and distillation need --model cnn" }
        return nil
    }
}
