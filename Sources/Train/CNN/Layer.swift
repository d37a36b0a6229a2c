import Randomness

/// One stage of the convolutional network, working on a whole batch [B, C, H, W] at once.
///
/// A layer owns no weights: its parameters (trained) and state (BatchNorm's running statistics)
/// are slices of the network's two flat vectors, so the optimizer, the checkpoint and the gradient
/// checks each see one vector. A layer is a class because its forward pass keeps what its backward
/// pass needs (inputs, masks, normalised values) until the next forward pass.
protocol Layer: AnyObject {
    var input: MapShape { get }
    var output: MapShape { get }
    /// Trained values in the network's parameter vector.
    var parameterCount: Int { get }
    /// Untrained values in the network's state vector (running statistics).
    var stateCount: Int { get }
    /// Multiply-adds per sample of the forward pass, ×2 = FLOPs (what the benchmark counts).
    var multiplyAdds: Int { get }
    /// Writes the initial parameters and state.
    func initialize(parameters: UnsafeMutableBufferPointer<Float>, state: UnsafeMutableBufferPointer<Float>,
                    generator: inout SplitMix64)
    /// `x` is [batch, input.count]; returns [batch, output.count].
    func forward(_ x: [Float], batch: Int, pass: LayerPass) -> [Float]
    /// Given dLoss/dOutput of the last forward pass, writes dLoss/dParameters into
    /// `pass.gradient` (overwriting it) and returns dLoss/dInput, or [] when `inputGradient` is false
    /// (the first layer: nothing consumes it).
    func backward(_ dy: [Float], batch: Int, pass: LayerPass, inputGradient: Bool) -> [Float]
}

extension Layer {
    var parameterCount: Int { 0 }
    var stateCount: Int { 0 }
    var multiplyAdds: Int { 0 }
    func initialize(parameters: UnsafeMutableBufferPointer<Float>, state: UnsafeMutableBufferPointer<Float>,
                    generator: inout SplitMix64) {}
}

/// What one forward or backward call of a layer sees: its slices of the flat vectors, the mode,
/// the seed of its randomness, and the threads it may use.
struct LayerPass {
    var parameters: UnsafeMutableBufferPointer<Float>
    var gradient: UnsafeMutableBufferPointer<Float>
    var state: UnsafeMutableBufferPointer<Float>
    /// Training mode: batch statistics in BatchNorm (and running statistics updated), dropout on.
    var training: Bool
    /// Dropout's mask comes from this seed (derived from the run's seed, epoch, batch and the layer).
    var randomSeed: UInt64
    var parallel: Parallel
}
