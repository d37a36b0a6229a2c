/// The settings of `pipe train`.
public struct TrainOptions: Codable, Equatable, Sendable {
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
        return nil
    }
}
