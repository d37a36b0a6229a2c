import Augment
import XCTest

/// Each augmentation against its reference run by `Goldens/make_augment_goldens.py`.
final class GoldenTests: XCTestCase {
    func testDIRMatchesScipyConvolveFullTruncated() throws {
        let g = AugmentGoldens.section("dir")
        let x = g.floats("x")
        let responses = (g["bank"] as! [[NSNumber]]).enumerated().map { i, h in
            ImpulseResponseBank.Response(name: "ir\(i).wav", samples: h.map(\.floatValue))
        }
        let bank = try ImpulseResponseBank(responses: responses, sampleRate: 32000)
        for c in g.cases() {
            var channels = [x]
            bank.convolve(&channels, with: c.int("index"))
            let (e, s) = maxError(channels[0], c.floats("y"))
            print("DIR response \(c.int("index")): max abs error \(e), relative \(e / s)")
            XCTAssertLessThan(e / s, 2e-6, "response \(c.int("index"))")
        }
        // The same through the augmentation, with a device-A clip and dir_prob 1: the drawn index's response.
        var p = DeviceImpulseResponse.Parameters()
        p.dirProb = 1
        let dir = DeviceImpulseResponse(parameters: p, bank: bank)
        var clip = WaveformClip(channels: [x], sampleRate: 32000, device: "a")
        var random = AugmentRandom(runSeed: 0, id: "tau/clip-a", variant: 1)
        let draw = try dir.apply(to: &clip, random: &random)
        XCTAssertTrue(draw.applied)
        let (e, s) = maxError(clip.channels[0], g.cases()[draw.index].floats("y"))
        XCTAssertLessThan(e / s, 2e-6)
        // Device B is never convolved; a clip at another rate is refused.
        var b = WaveformClip(channels: [x], sampleRate: 32000, device: "b")
        XCTAssertFalse(try dir.apply(to: &b, random: &random).applied)
        XCTAssertEqual(b.channels[0], x)
        var wrongRate = WaveformClip(channels: [x], sampleRate: 44100, device: "a")
        XCTAssertThrowsError(try dir.apply(to: &wrongRate, random: &random))
    }

    func testFreqMixStyleMatchesNumpyPort() throws {
        let g = AugmentGoldens.section("mixstyle")
        for c in g.cases() {
            var batch = try Batch(shape: g.ints("shape"), values: g.floats("x"))
            let draw = FreqMixStyle.Draw(applied: true, lambdas: g.floats("lambdas"), permutation: c.ints("perm"))
            try FreqMixStyle().apply(draw, to: &batch)
            let (e, s) = maxError(batch.values, c.floats("y"))
            print("Freq-MixStyle perm \(c.ints("perm")): max abs error \(e) (values up to \(s))")
            XCTAssertLessThan(e, 5e-6 * max(1, s))
        }
        // Not applied: the batch is unchanged.
        var batch = try Batch(shape: g.ints("shape"), values: g.floats("x"))
        try FreqMixStyle().apply(FreqMixStyle.Draw(applied: false, lambdas: [], permutation: []), to: &batch)
        XCTAssertEqual(batch.values, g.floats("x"))
    }

    func testMixupMatchesCPJKU() throws {
        let g = AugmentGoldens.section("mixup")
        var batch = try Batch(shape: g.ints("shape"), values: g.floats("x"))
        var targets = g.floats("targets")
        try Mixup().apply(Mixup.Draw(lambdas: g.floats("lambdas"), permutation: g.ints("perm")), to: &batch, targets: &targets)
        XCTAssertLessThan(maxError(batch.values, g.floats("x_mixed")).abs, 1e-6)
        XCTAssertLessThan(maxError(targets, g.floats("targets_mixed")).abs, 1e-7)
        // Soft targets sum to 1 per row.
        for r in 0..<4 { XCTAssertEqual(targets[(r * 3)..<(r * 3 + 3)].reduce(0, +), 1, accuracy: 1e-6) }
        XCTAssertEqual(try Mixup.softTargets(labels: [0, 2, 1, 2], classes: 3), g.floats("targets"))
        XCTAssertThrowsError(try Mixup.softTargets(labels: [0, -1], classes: 3))
        XCTAssertThrowsError(try Batch(rows: [[1, 2, 3], [1, 2]], rowShape: [1, 1, 3]), "rows of different shapes cannot be mixed")
    }

    func testFrequencyShiftMatchesSALSA() throws {
        let g = AugmentGoldens.section("freq_shift")
        for c in g.cases() {
            var p = FrequencyShift.Parameters()
            p.freqShiftRange = 12
            p.nLastChannels = c.int("n_last_channels")
            var batch = try Batch(shape: g.ints("shape"), values: g.floats("x"))
            try FrequencyShift(parameters: p).apply(FrequencyShift.Draw(shifts: c.ints("shifts")), to: &batch)
            XCTAssertEqual(batch.values, c.floats("y"), "shifts \(c.ints("shifts"))")
        }
    }

    func testMaskingMatchesTorchaudioFormula() throws {
        let g = AugmentGoldens.section("mask")
        for c in g.cases() {
            let axis = Masking.Axis(rawValue: c["axis"] as! String)!
            let shape = g.ints("shape")
            let size = axis == .frequency ? shape[3] : shape[2]
            let (u1, u2) = (c.floats("u1"), c.floats("u2"))
            let ranges = (0..<u1.count).map { Masking.range(valueUniform: u1[$0], minUniform: u2[$0], maskParam: c.int("mask_param"), axisLength: size) }
            XCTAssertEqual(ranges.map { [$0.start, $0.start + $0.width] }, c["ranges"] as! [[Int]])
            var batch = try Batch(shape: shape, values: g.floats("x"))
            let masking = Masking(parameters: .init(maskParam: c.int("mask_param"), axis: axis))
            try masking.apply(Masking.Draw(starts: ranges.map(\.start), widths: ranges.map(\.width)), to: &batch)
            XCTAssertEqual(batch.values, c.floats("y"), "\(axis)")
        }
        for e in g.cases("edges") {
            let u = (e["u1"] as! NSNumber).floatValue, v = (e["u2"] as! NSNumber).floatValue
            let r = Masking.range(valueUniform: u, minUniform: v, maskParam: 48, axisLength: 64)
            XCTAssertEqual([r.start, r.start + r.width], e["range"] as! [Int])
        }
    }

    /// Drawn masks stay inside the axis and below mask_param, one per (row, channel), like torchaudio's.
    func testDrawnMasksAreInsideTheAxis() throws {
        var random = AugmentRandom(seed: 5)
        let masking = Masking(parameters: .init(maskParam: 48, axis: .frequency))
        var widths = Set<Int>()
        for _ in 0..<200 {
            let d = masking.draw(masks: 6, axisLength: 64, random: &random)
            for (s, w) in zip(d.starts, d.widths) {
                XCTAssertTrue(s >= 0 && w >= 0 && w < 48 && s + w <= 64, "start \(s) width \(w)")
                widths.insert(w)
            }
        }
        XCTAssertGreaterThan(widths.count, 40, "widths should cover 0..<48")
    }
}
