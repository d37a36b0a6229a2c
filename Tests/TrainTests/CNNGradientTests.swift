import Randomness
@testable import Train
import XCTest

/// Every layer's backward pass against central differences of its forward pass.
///
/// The scalar checked is L = Σ y·r for a fixed random r (so dL/dy = r), summed in Float64: the
/// layers compute in Float32, and a Float32 sum of the loss would bury the differences in rounding.
/// Linear layers (convolution, pooling by average, linear) are checked with a large step, which is
/// exact for them; the non-linear ones with inputs kept away from their kinks.
final class CNNGradientTests: XCTestCase {
    struct Setup {
        var parameters: [Float]
        var state: [Float]
    }

    private func run(_ layer: any Layer, _ x: [Float], batch: Int, setup: inout Setup, training: Bool, seed: UInt64 = 7,
                     threads: Int = 1) -> [Float] {
        var gradient: [Float] = []
        return setup.parameters.withUnsafeMutableBufferPointer { p in
            setup.state.withUnsafeMutableBufferPointer { s in
                gradient.withUnsafeMutableBufferPointer { g in
                    layer.forward(x, batch: batch, pass: LayerPass(parameters: p, gradient: g, state: s, training: training,
                                                                   randomSeed: seed, parallel: Parallel(threads: threads)))
                }
            }
        }
    }

    private func backward(_ layer: any Layer, _ dy: [Float], batch: Int, setup: inout Setup, training: Bool,
                          threads: Int = 1) -> (dx: [Float], dp: [Float]) {
        var gradient = [Float](repeating: .nan, count: setup.parameters.count)
        let dx = setup.parameters.withUnsafeMutableBufferPointer { p in
            setup.state.withUnsafeMutableBufferPointer { s in
                gradient.withUnsafeMutableBufferPointer { g in
                    layer.backward(dy, batch: batch, pass: LayerPass(parameters: p, gradient: g, state: s, training: training,
                                                                     randomSeed: 7, parallel: Parallel(threads: threads)),
                                   inputGradient: true)
                }
            }
        }
        return (dx, gradient)
    }

    /// Checks dL/dx and dL/dparameters of `layer` on `x`; returns the worst relative error.
    @discardableResult
    private func check(_ layer: any Layer, x: [Float], batch: Int, training: Bool = true, step: Float, tolerance: Double,
                       randomParameters: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> Double {
        var generator = SplitMix64(seed: 11)
        var setup = Setup(parameters: [Float](repeating: 0, count: layer.parameterCount),
                          state: [Float](repeating: 0, count: layer.stateCount))
        setup.parameters.withUnsafeMutableBufferPointer { p in
            setup.state.withUnsafeMutableBufferPointer { s in layer.initialize(parameters: p, state: s, generator: &generator) }
        }
        if randomParameters { for k in setup.parameters.indices { setup.parameters[k] += Float(generator.nextSigned() * 0.5) } }
        let y = run(layer, x, batch: batch, setup: &setup, training: training)
        XCTAssertEqual(y.count, batch * layer.output.count, file: file, line: line)
        let r = (0..<y.count).map { _ in Float(generator.nextSigned()) }
        func loss(_ x: [Float], _ s: inout Setup) -> Double {
            zip(run(layer, x, batch: batch, setup: &s, training: training), r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let (dx, dp) = backward(layer, r, batch: batch, setup: &setup, training: training)
        XCTAssertEqual(dx.count, x.count, file: file, line: line)
        var worst = 0.0
        func compare(_ analytic: Float, _ numeric: Double, _ what: String) {
            let error = abs(Double(analytic) - numeric) / max(1, abs(numeric))
            worst = max(worst, error)
            if error > tolerance { XCTFail("\(type(of: layer)) \(what): analytic \(analytic), numeric \(numeric)", file: file, line: line) }
        }
        for k in x.indices {
            var plus = x, minus = x
            plus[k] += step
            minus[k] -= step
            var s1 = setup, s2 = setup
            compare(dx[k], (loss(plus, &s1) - loss(minus, &s2)) / Double(2 * step), "dx[\(k)]")
        }
        for k in setup.parameters.indices {
            var plus = setup, minus = setup
            plus.parameters[k] += step
            minus.parameters[k] -= step
            compare(dp[k], (loss(x, &plus) - loss(x, &minus)) / Double(2 * step), "dparameter[\(k)]")
        }
        return worst
    }

    private func randomInput(_ count: Int, seed: UInt64 = 3, awayFromZero: Bool = false) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let v = Float(generator.nextSigned())
            return awayFromZero ? (v < 0 ? v - 0.2 : v + 0.2) : v
        }
    }

    func testConv2DBackward() {
        let shape = MapShape(channels: 2, height: 5, width: 4)
        let conv = Conv2D(input: shape, outChannels: 3)
        check(conv, x: randomInput(3 * shape.count), batch: 3, step: 0.5, tolerance: 2e-3)
    }

    /// The first layer skips its input gradient; the parameter gradient is the same as with it.
    func testConv2DWithoutInputGradient() {
        let shape = MapShape(channels: 1, height: 6, width: 5)
        let conv = Conv2D(input: shape, outChannels: 3)
        var generator = SplitMix64(seed: 5)
        var parameters = (0..<conv.parameterCount).map { _ in Float(generator.nextSigned()) }
        let x = randomInput(2 * shape.count), dy = randomInput(2 * conv.output.count, seed: 6)
        var gradients: [[Float]] = []
        for flag in [true, false] {
            var gradient = [Float](repeating: 0, count: conv.parameterCount)
            var state: [Float] = []
            let dx = parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeMutableBufferPointer { g in
                    state.withUnsafeMutableBufferPointer { s in
                        let pass = LayerPass(parameters: p, gradient: g, state: s, training: true, randomSeed: 0, parallel: Parallel(threads: 2))
                        _ = conv.forward(x, batch: 2, pass: pass)
                        return conv.backward(dy, batch: 2, pass: pass, inputGradient: flag)
                    }
                }
            }
            XCTAssertEqual(dx.count, flag ? x.count : 0)
            gradients.append(gradient)
        }
        XCTAssertEqual(gradients[0], gradients[1])
    }

    func testConv2DKernelFiveAndOneChannel() {
        let shape = MapShape(channels: 1, height: 6, width: 7)
        check(Conv2D(input: shape, outChannels: 2, kernel: 5), x: randomInput(2 * shape.count), batch: 2, step: 0.5, tolerance: 2e-3)
    }

    /// The convolution against a direct sum over the 3×3 window (zero padding), not against itself.
    func testConv2DForwardEqualsDirectSum() {
        let shape = MapShape(channels: 2, height: 4, width: 5)
        let conv = Conv2D(input: shape, outChannels: 2)
        var generator = SplitMix64(seed: 5)
        var setup = Setup(parameters: (0..<conv.parameterCount).map { _ in Float(generator.nextSigned()) }, state: [])
        let x = randomInput(shape.count)
        let y = run(conv, x, batch: 1, setup: &setup, training: true)
        for o in 0..<2 {
            for h in 0..<4 {
                for w in 0..<5 {
                    var sum = Double(setup.parameters[conv.weightCount + o])
                    for c in 0..<2 {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let (sy, sx) = (h + ky - 1, w + kx - 1)
                                guard (0..<4).contains(sy), (0..<5).contains(sx) else { continue }
                                sum += Double(setup.parameters[((o * 2 + c) * 3 + ky) * 3 + kx]) * Double(x[(c * 4 + sy) * 5 + sx])
                            }
                        }
                    }
                    XCTAssertEqual(Double(y[(o * 4 + h) * 5 + w]), sum, accuracy: 1e-5)
                }
            }
        }
    }

    /// Two threads give the same output and gradient bits as one (fixed gradient groups).
    func testConv2DIsIndependentOfThreads() {
        let shape = MapShape(channels: 3, height: 8, width: 6)
        let conv = Conv2D(input: shape, outChannels: 4)
        var generator = SplitMix64(seed: 5)
        var setup = Setup(parameters: (0..<conv.parameterCount).map { _ in Float(generator.nextSigned()) }, state: [])
        let x = randomInput(7 * shape.count)
        let dy = randomInput(7 * conv.output.count, seed: 9)
        let y1 = run(conv, x, batch: 7, setup: &setup, training: true, threads: 1)
        let g1 = backward(conv, dy, batch: 7, setup: &setup, training: true, threads: 1)
        let y2 = run(conv, x, batch: 7, setup: &setup, training: true, threads: 2)
        let g2 = backward(conv, dy, batch: 7, setup: &setup, training: true, threads: 2)
        XCTAssertEqual(y1, y2)
        XCTAssertEqual(g1.dx, g2.dx)
        XCTAssertEqual(g1.dp, g2.dp)
    }

    func testBatchNormBackwardTrainingAndEvaluation() {
        let shape = MapShape(channels: 3, height: 2, width: 3)
        let x = randomInput(4 * shape.count).map { $0 * 2 + 1 }
        check(BatchNorm(input: shape), x: x, batch: 4, training: true, step: 1e-2, tolerance: 5e-3)
        check(BatchNorm(input: shape), x: x, batch: 4, training: false, step: 0.5, tolerance: 1e-3)
    }

    /// Training mode normalises with the batch's statistics and moves the running ones by momentum 0.1
    /// (unbiased variance), as PyTorch's BatchNorm2d does.
    func testBatchNormStatistics() {
        let shape = MapShape(channels: 1, height: 1, width: 2)
        let bn = BatchNorm(input: shape)
        var setup = Setup(parameters: [1, 0], state: [0, 1])
        let y = run(bn, [1, 3, 5, 7], batch: 2, setup: &setup, training: true)
        // mean 4, biased variance 5
        for (value, expected) in zip(y, [-3, -1, 1, 3].map { Float($0 / (5 + 1e-5).squareRoot()) }) {
            XCTAssertEqual(value, expected, accuracy: 1e-6)
        }
        XCTAssertEqual(setup.state[0], 0.4, accuracy: 1e-6)
        XCTAssertEqual(setup.state[1], 0.9 + 0.1 * 20 / 3, accuracy: 1e-5)
        let evaluated = run(bn, [0.4, 0.4, 0.4, 0.4], batch: 2, setup: &setup, training: false)
        XCTAssertEqual(evaluated, [0, 0, 0, 0])
    }

    func testReLUBackward() {
        let shape = MapShape(channels: 2, height: 3, width: 3)
        check(ReLU(input: shape), x: randomInput(2 * shape.count, awayFromZero: true), batch: 2, step: 1e-2, tolerance: 1e-3)
    }

    func testPoolingBackward() {
        let shape = MapShape(channels: 2, height: 5, width: 4)  // odd height: the last row is dropped
        // Distinct values far apart, so a small step never changes which one is the maximum.
        var x = (0..<(2 * shape.count)).map { Float($0) * 0.37 }
        var generator = SplitMix64(seed: 4)
        x.shuffle(using: &generator)
        check(Pool2D(input: shape, kind: .max), x: x, batch: 2, step: 1e-2, tolerance: 1e-3)
        check(Pool2D(input: shape, kind: .avg), x: randomInput(2 * shape.count), batch: 2, step: 0.5, tolerance: 1e-3)
        XCTAssertEqual(Pool2D(input: shape, kind: .max).output, MapShape(channels: 2, height: 2, width: 2))
    }

    func testGlobalPoolingDropoutLinearBackward() {
        let shape = MapShape(channels: 3, height: 2, width: 2)
        check(GlobalAveragePool(input: shape), x: randomInput(2 * shape.count), batch: 2, step: 0.5, tolerance: 1e-3)
        check(GlobalAveragePool(input: shape, axes: .time), x: randomInput(2 * shape.count), batch: 2, step: 0.5, tolerance: 1e-3)
        XCTAssertEqual(GlobalAveragePool(input: shape, axes: .time).output, MapShape(channels: 3, height: 1, width: 2))
        let flat = MapShape(channels: 6, height: 1, width: 1)
        check(Dropout(input: flat, p: 0.5), x: randomInput(4 * 6), batch: 4, step: 0.5, tolerance: 1e-3)
        check(Linear(input: flat, outputs: 3), x: randomInput(4 * 6), batch: 4, step: 0.5, tolerance: 1e-3)
    }

    /// Dropout zeroes about p of the values, scales the rest by 1/(1-p), repeats its mask for the
    /// same seed, changes it for another, and is the identity in evaluation mode.
    func testDropoutMask() {
        let flat = MapShape(channels: 1000, height: 1, width: 1)
        let dropout = Dropout(input: flat, p: 0.25)
        var setup = Setup(parameters: [], state: [])
        let ones = [Float](repeating: 1, count: 1000)
        let a = run(dropout, ones, batch: 1, setup: &setup, training: true, seed: 1)
        let b = run(dropout, ones, batch: 1, setup: &setup, training: true, seed: 1)
        let c = run(dropout, ones, batch: 1, setup: &setup, training: true, seed: 2)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(Set(a), [0, Float(1 / 0.75)])
        XCTAssertEqual(Double(a.filter { $0 == 0 }.count), 250, accuracy: 50)
        XCTAssertEqual(run(dropout, ones, batch: 1, setup: &setup, training: false), ones)
    }

    /// The whole network: every parameter's gradient of the soft-target cross-entropy.
    func testNetworkBackwardMatchesNumericalGradients() {
        let net = ConvNet(architecture: CNNArchitecture(channels: [2, 3], pool: "avg", dropout: 0), input: MapShape(channels: 1, height: 6, width: 4),
                          classes: 3, seed: 1)
        let batch = 3
        let x = randomInput(batch * 24)
        var targets = randomInput(batch * 3, seed: 8).map { abs($0) + 0.1 }
        for r in 0..<batch { let sum = targets[(r * 3)..<(r * 3 + 3)].reduce(0, +); for c in 0..<3 { targets[r * 3 + c] /= sum } }
        func loss() -> Double {
            SoftmaxCrossEntropy.loss(logits: net.forward(x, batch: batch, training: true), targets: targets, classes: 3).loss
        }
        let logits = net.forward(x, batch: batch, training: true)
        let analytic = net.backward(SoftmaxCrossEntropy.loss(logits: logits, targets: targets, classes: 3).gradient, batch: batch)
        XCTAssertEqual(analytic.count, net.parameterCount)
        var worst = 0.0
        let saved = net.parameters
        for k in saved.indices {
            // A small step (the loss is summed in Float64, so Float32 rounding stays below it) keeps
            // ReLU's kinks from being crossed.
            net.parameters[k] = saved[k] + 1e-3
            let plus = loss()
            net.parameters[k] = saved[k] - 1e-3
            let minus = loss()
            net.parameters[k] = saved[k]
            let numeric = (plus - minus) / 2e-3
            let error = abs(numeric - Double(analytic[k])) / max(1e-2, abs(numeric))
            worst = max(worst, error)
        }
        XCTAssertLessThan(worst, 2e-2, "worst relative gradient error \(worst)")
    }

    /// Seed 001 Eq. 5: λ·CE(label) + (1−λ)·T²·KL(teacher ‖ student_T), and its gradient.
    func testDistillationLossAndGradient() {
        let kd = Distillation(targets: "teachers", lambda: 0.3, temperature: 2)
        let logits = randomInput(2 * 4).map { $0 * 3 }
        let teacher: [Float] = [0.1, 0.2, 0.3, 0.4, 0.7, 0.1, 0.1, 0.1]
        let labels: [Int32] = [3, 0]
        let (loss, gradient) = kd.loss(logits: logits, labels: labels, teacher: teacher, classes: 4)
        // By hand, in Float64.
        var expected = 0.0
        for r in 0..<2 {
            let z = (0..<4).map { Double(logits[r * 4 + $0]) }
            let p = z.map { exp($0) / z.map(exp).reduce(0, +) }
            let q = z.map { exp($0 / 2) / z.map { exp($0 / 2) }.reduce(0, +) }
            let ce = -log(p[Int(labels[r])])
            let kl = (0..<4).map { Double(teacher[r * 4 + $0]) * log(Double(teacher[r * 4 + $0]) / q[$0]) }.reduce(0, +)
            expected += (0.3 * ce + 0.7 * 4 * kl) / 2
        }
        XCTAssertEqual(loss, expected, accuracy: 1e-5)
        for k in logits.indices {
            var plus = logits, minus = logits
            plus[k] += 1e-2
            minus[k] -= 1e-2
            let numeric = (kd.loss(logits: plus, labels: labels, teacher: teacher, classes: 4).loss
                - kd.loss(logits: minus, labels: labels, teacher: teacher, classes: 4).loss) / 2e-2
            XCTAssertEqual(Double(gradient[k]), numeric, accuracy: 2e-3)
        }
        XCTAssertNotNil(Distillation(targets: "t", lambda: 1.5).validationProblem)
        XCTAssertNotNil(Distillation(targets: "t", temperature: 0).validationProblem)
    }

    func testLearningRateSchedules() {
        let cosine = LearningRateSchedule(kind: .cosine, warmupEpochs: 1)
        // Warmup: linear over the first epoch's 4 steps, then half a cosine down to 0.
        XCTAssertEqual(cosine.rate(base: 1, epoch: 0, batch: 0, batchesPerEpoch: 4, epochs: 3), 0.25)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 0, batch: 3, batchesPerEpoch: 4, epochs: 3), 1)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 1, batch: 0, batchesPerEpoch: 4, epochs: 3), 1)
        XCTAssertEqual(cosine.rate(base: 1, epoch: 2, batch: 0, batchesPerEpoch: 4, epochs: 3), 0.5, accuracy: 1e-6)
        let step = LearningRateSchedule(kind: .step, stepEpochs: 2, gamma: 0.5)
        XCTAssertEqual(step.rate(base: 1, epoch: 1, batch: 3, batchesPerEpoch: 4, epochs: 6), 1)
        XCTAssertEqual(step.rate(base: 1, epoch: 4, batch: 0, batchesPerEpoch: 4, epochs: 6), 0.25)
        XCTAssertNotNil(LearningRateSchedule(kind: .cosine, warmupEpochs: 3).problem(epochs: 3))
        XCTAssertNotNil(LearningRateSchedule(kind: .step, stepEpochs: 0).problem(epochs: 3))
    }
}
