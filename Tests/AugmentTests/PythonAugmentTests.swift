import Augment
import Foundation
import XCTest

/// `Sources/python/acousticpipe/augment.py` gives the Swift results for the same draws (drawn here
/// by `AugmentRandom`), run with Debian's python3 and its numpy.
final class PythonAugmentTests: XCTestCase {
    func testNumpyAugmentationsEqualSwiftGivenTheSameDraws() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no /usr/bin/python3") }
        let shape = [6, 2, 9, 16]
        var random = AugmentRandom(seed: 77)
        let x = (0..<shape.reduce(1, *)).map { _ in Float(random.normal() * 2 - 3) }
        let batch = try Batch(shape: shape, values: x)
        let targets = try Mixup.softTargets(labels: [0, 1, 2, 1, 0, 2], classes: 3)

        var mixstyle = FreqMixStyle.Draw(applied: false, lambdas: [], permutation: [])
        while !mixstyle.applied { mixstyle = FreqMixStyle().draw(rows: 6, random: &random) }
        var ms = batch
        try FreqMixStyle().apply(mixstyle, to: &ms)
        let mixupDraw = Mixup().draw(rows: 6, random: &random)
        var mu = batch
        var mt = targets
        try Mixup().apply(mixupDraw, to: &mu, targets: &mt)
        var shiftParameters = FrequencyShift.Parameters()
        shiftParameters.p = 1
        shiftParameters.nLastChannels = 1
        let shiftDraw = FrequencyShift(parameters: shiftParameters).draw(rows: 6, random: &random)
        var fs = batch
        try FrequencyShift(parameters: shiftParameters).apply(shiftDraw, to: &fs)
        let masking = Masking(parameters: .init(maskParam: 10, axis: .frequency))
        let maskDraw = masking.draw(masks: 12, axisLength: 16, random: &random)
        var mk = batch
        try masking.apply(maskDraw, to: &mk)
        let timeMasking = Masking(parameters: .init(maskParam: 4, axis: .time))
        let timeDraw = timeMasking.draw(masks: 12, axisLength: 9, random: &random)
        var tm = batch
        try timeMasking.apply(timeDraw, to: &tm)

        let input: [String: Any] = [
            "shape": shape, "x": x.map(Double.init), "targets": targets.map(Double.init),
            "ms_lambdas": mixstyle.lambdas.map(Double.init), "ms_perm": mixstyle.permutation,
            "mu_lambdas": mixupDraw.lambdas.map(Double.init), "mu_perm": mixupDraw.permutation,
            "shifts": shiftDraw.shifts, "mask_starts": maskDraw.starts, "mask_widths": maskDraw.widths,
            "time_starts": timeDraw.starts, "time_widths": timeDraw.widths,
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pyaug-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("in.json"), outURL = folder.appendingPathComponent("out.json")
        try JSONSerialization.data(withJSONObject: input).write(to: inURL)
        let script = """
        import json, sys
        import numpy as np
        sys.path.insert(0, sys.argv[3])
        import acousticpipe.augment as aug
        d = json.load(open(sys.argv[1]))
        x = np.array(d["x"], dtype=np.float32).reshape(d["shape"])
        y = np.array(d["targets"], dtype=np.float32).reshape(len(x), -1)
        mx, my = aug.mixup(x, y, d["mu_lambdas"], d["mu_perm"])
        out = {
          "mixstyle": aug.freq_mixstyle(x, d["ms_lambdas"], d["ms_perm"]).ravel().tolist(),
          "mixup_x": mx.ravel().tolist(), "mixup_y": my.ravel().tolist(),
          "shift": aug.freq_shift(x, d["shifts"], n_last_channels=1).ravel().tolist(),
          "mask": aug.mask(x, d["mask_starts"], d["mask_widths"], "frequency").ravel().tolist(),
          "time": aug.mask(x, d["time_starts"], d["time_widths"], "time").ravel().tolist(),
          "numpy": np.__version__,
        }
        json.dump(out, open(sys.argv[2], "w"))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        let pythonRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/python")
        process.arguments = ["-c", script, inURL.path, outURL.path, pythonRoot.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let out = try JSONSerialization.jsonObject(with: Data(contentsOf: outURL)) as! [String: Any]
        func floats(_ k: String) -> [Float] { (out[k] as! [NSNumber]).map(\.floatValue) }
        let e = maxError(ms.values, floats("mixstyle"))
        print("Freq-MixStyle Swift vs numpy \(out["numpy"] ?? ""): max abs error \(e.abs) (values up to \(e.scale))")
        XCTAssertLessThan(e.abs, 2e-6 * e.scale)
        XCTAssertLessThan(maxError(mu.values, floats("mixup_x")).abs, 1e-6)
        XCTAssertLessThan(maxError(mt, floats("mixup_y")).abs, 1e-7)
        XCTAssertEqual(fs.values, floats("shift"))
        XCTAssertEqual(mk.values, floats("mask"))
        XCTAssertEqual(tm.values, floats("time"))
        XCTAssertNotEqual(mk.values, x, "some mask is not empty")
    }
}
