import Augment
import Foundation
import TextTables
import Randomness

/// Milliseconds per operation for the augmentations `make bench` reports (measured, never asserted):
/// DIR / ADIR per 1-s 32-kHz clip with a MicIRP-shaped bank (66 responses of 11,900 samples, the
/// length a 0.37–0.5 s response has after resampling to 32 kHz), FOA channel swap per 10-s 24-kHz
/// 4-channel clip, Freq-MixStyle and mixup per batch of 256 ds-flexinet rows [1, 64, 256].
/// `Tests/Bench/python_augment.py` times the references on the same shapes.
public enum AugmentBenchmark {
    public struct Row {
        public var operation: String
        public var milliseconds: Double
    }

    public static func run(repeats: Int = 20) throws -> [Row] {
        var rows: [Row] = []
        let bank = try ImpulseResponseBank(responses: (0..<66).map { i in
            var rng = SplitMix64(seed: UInt64(i), key: "bench-ir")
            let h = (0..<11900).map { t in Float(rng.nextSigned() * exp(-Double(t) / 1500)) }
            let peak = h.map(abs).max()!
            return .init(name: "ir\(i).wav", samples: h.map { $0 / peak })
        }, sampleRate: 32000)
        let clip = RepresentationBenchmark.testClip(channels: 1, rate: 32000, seconds: 1)
        _ = bank.spectra(size: bank.fftSize(forClipLength: 32000))   // once per FFT size, as a run does
        var always = DeviceImpulseResponse.Parameters()
        always.dirProb = 1
        let dir = DeviceImpulseResponse(parameters: always, bank: bank)
        var adirParameters = AdaptiveDeviceImpulseResponse.Parameters()
        adirParameters.pA = 1
        adirParameters.threshold = 0
        let adir = AdaptiveDeviceImpulseResponse(parameters: adirParameters, bank: bank)
        var random = AugmentRandom(seed: 1)
        rows.append(Row(operation: "DIR, 1-s 32 kHz clip (66 responses of 11,900 samples)", milliseconds: try time(repeats) {
            var c = WaveformClip(channels: clip, sampleRate: 32000, device: "a")
            _ = try dir.apply(to: &c, random: &random)
        }))
        rows.append(Row(operation: "ADIR (energy + DIR), same clip", milliseconds: try time(repeats) {
            var c = WaveformClip(channels: clip, sampleRate: 32000, device: "a")
            _ = try adir.apply(to: &c, random: &random)
        }))
        let foa = RepresentationBenchmark.testClip(channels: 4, rate: 24000, seconds: 10)
        let transform = FOATransform(13)
        rows.append(Row(operation: "FOA channel swap #13, 10-s 24 kHz 4-channel clip", milliseconds: try time(repeats) {
            var c = foa
            transform.apply(foa: &c)
        }))
        let shape = [256, 1, 64, 256]
        var rng = SplitMix64(seed: 3)
        let values = (0..<shape.reduce(1, *)).map { _ in Float(rng.nextSigned()) }
        let batch = try Batch(shape: shape, values: values)
        let targets = try Mixup.softTargets(labels: (0..<256).map { $0 % 10 }, classes: 10)
        let mixstyle = FreqMixStyle.Draw(applied: true, lambdas: (0..<256).map { _ in Float(random.beta(0.3, 0.3)) },
                                         permutation: random.permutation(256))
        rows.append(Row(operation: "Freq-MixStyle, batch 256 x [1, 64, 256]", milliseconds: try time(repeats) {
            var b = batch
            try FreqMixStyle().apply(mixstyle, to: &b)
        }))
        let mixupDraw = Mixup().draw(rows: 256, random: &random)
        rows.append(Row(operation: "mixup, same batch, 10-class soft targets", milliseconds: try time(repeats) {
            var b = batch
            var t = targets
            try Mixup().apply(mixupDraw, to: &b, targets: &t)
        }))
        return rows
    }

    /// Mean wall time of `repeats` calls after one warm-up call, in ms (the batch copy included, as numpy's out-of-place ops).
    static func time(_ repeats: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats { try body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repeats)
    }

    public static func table(_ rows: [Row]) -> String {
        TextTable.render(header: ["augmentation", "ms (1 core)"],
                         rows: rows.map { [$0.operation, String(format: "%.3f", $0.milliseconds)] }, rightAligned: [1])
    }
}
