import Dispatch
import Randomness

/// The compact CNN (`CNNArchitecture`) as a chain of layers over two flat vectors: `parameters`
/// (trained: what the optimizer updates and the gradient covers) and `state` (BatchNorm's running
/// statistics). Both are saved in a checkpoint; the layers themselves hold only shapes and the
/// activations between a forward and a backward pass.
public final class ConvNet {
    public let architecture: CNNArchitecture
    public let input: MapShape
    public let classes: Int
    public var parameters: [Float]
    public var state: [Float]
    let layers: [any Layer]
    private let parameterRanges: [Range<Int>]
    private let stateRanges: [Range<Int>]

    /// Builds the layers; the initial weights come from `SplitMix64(seed: seed, key: "cnn-init")`.
    public init(architecture: CNNArchitecture, input: MapShape, classes: Int, seed: UInt64) {
        self.architecture = architecture
        self.input = input
        self.classes = classes
        var layers: [any Layer] = [BatchNorm(input: input)]
        var shape = input
        let pool = Pool2D.Kind(rawValue: architecture.pool) ?? .max
        for (b, width) in architecture.channels.enumerated() {
            let conv = Conv2D(input: shape, outChannels: width, kernel: architecture.kernel)
            layers += [conv, BatchNorm(input: conv.output), ReLU(input: conv.output)]
            shape = conv.output
            if b < architecture.channels.count - 1 {
                let p = Pool2D(input: shape, kind: pool)
                layers.append(p)
                shape = p.output
            }
        }
        let global = GlobalAveragePool(input: shape, axes: architecture.head == "global" ? .all : .time)
        layers += [global, Dropout(input: global.output, p: architecture.dropout), Linear(input: global.output, outputs: classes)]
        self.layers = layers
        var p = 0, s = 0
        var parameterRanges: [Range<Int>] = [], stateRanges: [Range<Int>] = []
        for layer in layers {
            parameterRanges.append(p..<(p + layer.parameterCount))
            stateRanges.append(s..<(s + layer.stateCount))
            p += layer.parameterCount
            s += layer.stateCount
        }
        self.parameterRanges = parameterRanges
        self.stateRanges = stateRanges
        parameters = [Float](repeating: 0, count: p)
        state = [Float](repeating: 0, count: s)
        var generator = SplitMix64(seed: seed, key: "cnn-init")
        for (k, layer) in layers.enumerated() {
            parameters.withUnsafeMutableBufferPointer { pp in
                state.withUnsafeMutableBufferPointer { sp in
                    layer.initialize(parameters: UnsafeMutableBufferPointer(rebasing: pp[parameterRanges[k]]),
                                     state: UnsafeMutableBufferPointer(rebasing: sp[stateRanges[k]]), generator: &generator)
                }
            }
        }
    }

    /// When set (the benchmark), each layer's forward and backward wall time is added here:
    /// index 2·layer for forward, 2·layer + 1 for backward.
    var timings: [Double]?

    /// Each layer's name and shape, for the benchmark's table.
    var layerNames: [String] { layers.map { "\(type(of: $0)) \($0.input) → \($0.output)" } }

    private func timed(_ slot: Int, _ body: () -> [Float]) -> [Float] {
        guard timings != nil else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let out = body()
        timings![slot] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return out
    }

    public var parameterCount: Int { parameters.count }
    public var stateCount: Int { state.count }

    /// Multiply-adds of one sample's forward pass through the convolutions (×2 = FLOPs).
    public var convolutionMultiplyAdds: Int { layers.compactMap { $0 as? Conv2D }.reduce(0) { $0 + $1.multiplyAdds } }

    /// The logits [batch, classes] of `x` [batch, C, T, F]. `training` uses batch statistics
    /// (and updates the running ones) and dropout; `randomSeed` decides dropout's masks.
    public func forward(_ x: [Float], batch: Int, training: Bool, randomSeed: UInt64 = 0, threads: Int = 1) -> [Float] {
        precondition(x.count == batch * input.count, "input is not [batch, \(input)]")
        var activation = x
        var none: [Float] = []
        for (k, layer) in layers.enumerated() {
            let incoming = activation
            activation = timed(2 * k) {
                none.withUnsafeMutableBufferPointer { empty in
                    withPass(k, gradient: empty, training: training, randomSeed: randomSeed, threads: threads) { pass in
                        layer.forward(incoming, batch: batch, pass: pass)
                    }
                }
            }
        }
        return activation
    }

    /// dLoss/dParameters, given dLoss/dLogits of the last forward pass (which must have been in
    /// training mode for BatchNorm's gradient to be the batch-statistics one).
    public func backward(_ logitGradient: [Float], batch: Int, training: Bool = true, threads: Int = 1) -> [Float] {
        var gradient = [Float](repeating: 0, count: parameters.count)
        var upstream = logitGradient
        for k in layers.indices.reversed() {
            let incoming = upstream
            upstream = timed(2 * k + 1) {
                gradient.withUnsafeMutableBufferPointer { gp in
                    withPass(k, gradient: UnsafeMutableBufferPointer(rebasing: gp[parameterRanges[k]]), training: training,
                             randomSeed: 0, threads: threads) { pass in
                        layers[k].backward(incoming, batch: batch, pass: pass, inputGradient: k > 0)
                    }
                }
            }
        }
        return gradient
    }

    private func withPass(_ k: Int, gradient: UnsafeMutableBufferPointer<Float>, training: Bool, randomSeed: UInt64,
                          threads: Int, _ body: (LayerPass) -> [Float]) -> [Float] {
        let (parameterRange, stateRange) = (parameterRanges[k], stateRanges[k])
        var mixer = SplitMix64(seed: randomSeed, key: "layer-\(k)")
        let seed = mixer.next()
        return parameters.withUnsafeMutableBufferPointer { pp in
            state.withUnsafeMutableBufferPointer { sp in
                body(LayerPass(parameters: UnsafeMutableBufferPointer(rebasing: pp[parameterRange]), gradient: gradient,
                               state: UnsafeMutableBufferPointer(rebasing: sp[stateRange]), training: training,
                               randomSeed: seed, parallel: Parallel(threads: threads)))
            }
        }
    }
}
