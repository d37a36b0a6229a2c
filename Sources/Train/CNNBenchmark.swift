import COpenBLAS
import DSP
import Foundation
import Randomness
import Store
import Stream

/// `pipe bench-train`: how fast the CNN trains, and how close its convolutions come to OpenBLAS's
/// own sgemm at the same matrix sizes.
///
/// A convolution layer's pass is im2col + sgemm per sample (forward `W·cols`, weight gradient
/// `dY·colsᵀ`, input gradient `Wᵀ·dY` + col2im). Its peer runs exactly those sgemm calls on ready
/// buffers with nothing else, so the ratio says what the copies (im2col, col2im), the bias, the
/// per-group sums and the threading cost. The two are timed alternately, best of `repeats`.
public enum CNNBenchmark {
    public struct ConvolutionFigure: Sendable {
        public var layer: String
        /// The sgemm sizes of the forward pass, per sample: M = out channels, N = H·W, K = in·k².
        public var m: Int, n: Int, k: Int
        public var flops: Double
        public var convolutionSeconds: Double
        public var sgemmSeconds: Double
        public var convolutionGFLOPS: Double { flops / convolutionSeconds / 1e9 }
        public var sgemmGFLOPS: Double { flops / sgemmSeconds / 1e9 }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Every convolution of `architecture` on a batch of `batch` inputs of `input`: forward and
    /// backward with `threads` data-parallel threads (OpenBLAS single-threaded), against the
    /// same sgemm calls with OpenBLAS running `blasThreads` threads.
    public static func convolutions(architecture: CNNArchitecture, input: MapShape, batch: Int, threads: Int,
                                    blasThreads: Int, repeats: Int = 3) -> [ConvolutionFigure] {
        ProcessHeap.keep(.everything)
        let net = ConvNet(architecture: architecture, input: input, classes: 10, seed: 0)
        var generator = SplitMix64(seed: 1)
        var figures: [ConvolutionFigure] = []
        var parameterOffset = 0
        for (index, layer) in net.layers.enumerated() {
            defer { parameterOffset += layer.parameterCount }
            guard let conv = layer as? Conv2D else { continue }
            let first = index == 1
            let x = (0..<(batch * conv.input.count)).map { _ in Float(generator.nextSigned()) }
            let dy = (0..<(batch * conv.output.count)).map { _ in Float(generator.nextSigned()) }
            var parameters = Array(net.parameters[parameterOffset..<(parameterOffset + conv.parameterCount)])
            var gradient = [Float](repeating: 0, count: conv.parameterCount)
            var state: [Float] = []
            let (m, n, k) = (conv.output.channels, conv.input.plane, conv.fanIn)
            let products = first ? 2 : 3
            let flops = 2.0 * Double(m * n * k) * Double(batch * products)
            // The peer's operands are per sample, as the convolution's are (no cache-hot reuse).
            var cols = (0..<(batch * k * n)).map { _ in Float(generator.nextSigned()) }
            var sample = [Float](repeating: 0, count: batch * m * n)
            var dW = [Float](repeating: 0, count: m * k)
            var best = (Double.infinity, Double.infinity)
            for _ in 0..<repeats {
                openblas_set_num_threads(1)
                let start = now()
                parameters.withUnsafeMutableBufferPointer { p in
                    gradient.withUnsafeMutableBufferPointer { g in
                        state.withUnsafeMutableBufferPointer { s in
                            let pass = LayerPass(parameters: p, gradient: g, state: s, training: true, randomSeed: 0,
                                                 parallel: Parallel(threads: threads))
                            _ = conv.forward(x, batch: batch, pass: pass)
                            _ = conv.backward(dy, batch: batch, pass: pass, inputGradient: !first)
                        }
                    }
                }
                best.0 = min(best.0, now() - start)
                openblas_set_num_threads(Int32(blasThreads))
                let peer = now()
                parameters.withUnsafeBufferPointer { w in
                    cols.withUnsafeMutableBufferPointer { c in
                        sample.withUnsafeMutableBufferPointer { y in
                            dW.withUnsafeMutableBufferPointer { d in
                                for s in 0..<batch {
                                    let (cs, ys) = (c.baseAddress! + s * k * n, y.baseAddress! + s * m * n)
                                    BLAS.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, w.baseAddress!, cs, into: ys)
                                    BLAS.gemm(transposeA: false, transposeB: true, m: m, n: k, k: n, ys, cs, beta: 1, into: d.baseAddress!)
                                    if !first {
                                        BLAS.gemm(transposeA: true, transposeB: false, m: k, n: n, k: m, w.baseAddress!, ys, into: cs)
                                    }
                                }
                            }
                        }
                    }
                }
                best.1 = min(best.1, now() - peer)
            }
            openblas_set_num_threads(1)
            figures.append(ConvolutionFigure(layer: "conv \(conv.input.channels)→\(m) on \(conv.input)", m: m, n: n, k: k, flops: flops,
                                             convolutionSeconds: best.0, sgemmSeconds: best.1))
        }
        return figures
    }

    /// Seconds per layer (forward, backward) of one training step on a random batch, best of `repeats`.
    public static func layerTimes(architecture: CNNArchitecture, input: MapShape, batch: Int, threads: Int,
                                  repeats: Int = 2) -> [(layer: String, forward: Double, backward: Double)] {
        let net = ConvNet(architecture: architecture, input: input, classes: 10, seed: 0)
        var generator = SplitMix64(seed: 2)
        let x = (0..<(batch * input.count)).map { _ in Float(generator.nextSigned()) }
        let labels = (0..<batch).map { Int32($0 % 10) }
        var best = [Double](repeating: .infinity, count: 2 * net.layers.count)
        for _ in 0..<repeats {
            net.timings = [Double](repeating: 0, count: 2 * net.layers.count)
            let logits = net.forward(x, batch: batch, training: true, randomSeed: 1, threads: threads)
            let gradient = SoftmaxCrossEntropy.loss(logits: logits, targets: SoftmaxCrossEntropy.oneHot(labels, classes: 10), classes: 10).gradient
            _ = net.backward(gradient, batch: batch, threads: threads)
            best = zip(best, net.timings!).map { min($0, $1) }
        }
        return net.layerNames.enumerated().map { ($1, best[2 * $0], best[2 * $0 + 1]) }
    }

    /// A store of `rows` random [C, T, F] rows in the `train` split, 10 classes, for timing training.
    public static func writeStore(at root: URL, rows: Int, rowShape: [Int]) throws -> URL {
        let store = root.appendingPathComponent("store")
        try? FileManager.default.removeItem(at: store)
        let schema = [ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: rowShape),
                      ColumnSpec(name: "meta/id", dtype: .string), ColumnSpec(name: "meta/label", dtype: .int32),
                      ColumnSpec(name: "meta/split", dtype: .string)]
        var generator = SplitMix64(seed: 0)
        let width = rowShape.reduce(1, *)
        let writer = try ShardWriter(directory: store.appendingPathComponent("shards"), name: "part-00000", schema: schema, rowCount: rows)
        for i in 0..<rows {
            let features = (0..<width).map { _ in Float(generator.nextSigned() * 20 - 40) }
            try writer.write(row: ["features/logmel": .float32(features), "meta/id": .string("clip-\(i)"),
                                   "meta/label": .int32(Int32(i % 10)), "meta/split": .string("train")], at: i)
        }
        let info = try writer.commit().inFolder("shards")
        try Manifest(pipeline: "train-bench", configHash: "train-bench", createdBy: "pipe bench-train", columns: schema,
                     classes: (0..<10).map { "class-\($0)" }, shards: [info], rowCount: rows).write(to: store)
        return store
    }

    /// Training clips/s over one epoch of `store`'s `rows` rows (after an untimed warm-up epoch that
    /// fills the page cache and verifies the shard's checksum).
    public static func training(store: URL, rows: Int, options: TrainOptions, blasThreads: Int) throws -> Double {
        var once = options
        once.epochs = 1
        _ = try CNNTrainer.train(manifest: store, options: once, blasThreads: blasThreads)
        let start = now()
        _ = try CNNTrainer.train(manifest: store, options: once, blasThreads: blasThreads)
        return Double(rows / options.batchSize * options.batchSize) / (now() - start)
    }
}
