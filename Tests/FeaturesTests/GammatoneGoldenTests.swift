import DSP
import TestSupport
import XCTest
@testable import Features

/// Gammatone spectrogram against the Python `gammatone` package 1.0.3 (detly's, PyPI "Gammatone"),
/// scipy's spectrogram (SPSMR framing) and librosa's STFT (Goldens/gammatone.json, made by
/// Goldens/make_gammatone_goldens.py).
final class GammatoneGoldenTests: XCTestCase {
    /// Relative tolerance on linear values (the target) and absolute tolerance in dB.
    static let relativeTolerance = 1e-4
    static let toleranceDB = 1e-3

    struct WeightsFile: Decodable {
        struct Weights: Decodable {
            let id: String
            let sr: Int
            let nfft: Int
            let nfilts: Int
            let width: Double
            let fmin: Double
            let fmax: Double
            let rows: [Int]
            let values: [[Double]]
            let centre_frequencies: [Double]
            let row_sums: [Double]
        }
        let weights: [Weights]
    }

    func parameters(for c: GoldenFile.Case) -> GammatoneParameters {
        var p = GammatoneParameters()
        p.sr = c.sr
        if let v = c.params["twin"]?.double { p.twin = v }
        if let v = c.params["thop"]?.double { p.thop = v }
        if let v = c.params["nfilts"]?.int { p.nfilts = v }
        if let v = c.params["fmin"]?.double { p.fmin = v }
        if let v = c.params["framing"]?.string { p.framing = .init(rawValue: v)! }
        if let v = c.params["method"]?.string { p.method = .init(rawValue: v)! }
        if let v = c.params["log"]?.string { p.log = .init(rawValue: v)! }
        if let v = c.params["power"]?.double { p.power = Float(v) }
        if let v = c.params["input_scale"]?.double { p.inputScale = v }
        return p
    }

    func testWeightsAgainstFFTWeights() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "gammatone", withExtension: "json", subdirectory: "Goldens"))
        let file = try JSONDecoder().decode(WeightsFile.self, from: Data(contentsOf: url))
        var worst = 0.0
        for w in file.weights {
            let fb = GammatoneFilterbank(sampleRate: Double(w.sr), nfft: w.nfft, nfilts: w.nfilts, width: w.width,
                                         fmin: w.fmin, fmax: w.fmax)
            XCTAssertEqual(fb.binCount, w.nfft / 2 + 1)
            for (k, cf) in w.centre_frequencies.enumerated() {
                XCTAssertEqual(fb.centreFrequencies[k], cf, accuracy: 1e-9 * cf, "\(w.id) cf \(k)")
            }
            XCTAssertEqual(fb.centreFrequencies[0], w.fmin, accuracy: 1e-9, "row 0 is exactly fmin")
            for (i, row) in w.rows.enumerated() {
                for b in 0..<fb.binCount {
                    let ref = w.values[i][b]
                    let rel = abs(Double(fb.weights[row * fb.binCount + b]) - ref) / abs(ref)
                    worst = max(worst, rel)
                    XCTAssertLessThanOrEqual(rel, Self.relativeTolerance, "\(w.id) row \(row) bin \(b)")
                }
            }
            for k in 0..<w.nfilts {
                let sum = (0..<fb.binCount).reduce(0.0) { $0 + Double(fb.weights[k * fb.binCount + $1]) }
                XCTAssertEqual(sum, w.row_sums[k], accuracy: 1e-5 * w.row_sums[k], "\(w.id) row sum \(k)")
            }
        }
        print("gammatone weights vs fft_weights: max relative diff = \(worst)")
    }

    func testSpectrogramsAgainstReference() throws {
        let golden = try GoldenFile.load("gammatone")
        XCTAssertEqual(golden.reference["Gammatone"], "1.0.3")
        var worstRelative = 0.0, worstDB = 0.0, sumRelative = 0.0, sumDB = 0.0, nRelative = 0, nDB = 0
        for c in golden.cases {
            let p = parameters(for: c)
            let extractor = Gammatone(parameters: p)
            let out = try extractor.makeWorker().extract([TestSignals.make(c.signal, n: c.n, sr: c.sr)])
            XCTAssertEqual(Array(out.shape.dropFirst()), c.shape, c.id)
            let isDB = p.log != .none
            for (i, t) in c.frameIndices.enumerated() {
                let frameMax = c.frames[i].map(abs).max() ?? 0
                for f in 0..<c.shape[1] {
                    let ref = c.frames[i][f], value = Double(out[0, t, f])
                    if isDB {
                        worstDB = max(worstDB, abs(value - ref)); sumDB += abs(value - ref); nDB += 1
                        XCTAssertLessThanOrEqual(abs(value - ref), Self.toleranceDB, "\(c.id) frame \(t) band \(f)")
                    } else {
                        // Relative, with a floor far below the frame's peak for bands that are ~0.
                        let rel = abs(value - ref) / max(abs(ref), 1e-6 * frameMax)
                        worstRelative = max(worstRelative, rel); sumRelative += rel; nRelative += 1
                        XCTAssertLessThanOrEqual(rel, Self.relativeTolerance, "\(c.id) frame \(t) band \(f): \(value) vs \(ref)")
                    }
                }
            }
            let mean = out.values.reduce(0.0) { $0 + Double($1) } / Double(out.values.count)
            XCTAssertEqual(mean, c.mean, accuracy: isDB ? Self.toleranceDB : Self.relativeTolerance * abs(c.mean), c.id)
        }
        print("gammatone vs reference: relative diff max \(worstRelative) mean \(sumRelative / Double(nRelative)); dB diff max \(worstDB) mean \(sumDB / Double(nDB))")
    }

    /// The framing conventions must be told apart by the goldens: the same clip framed the librosa
    /// way instead of SPSMR's scipy way, or with power 2, misses the golden by far.
    func testGoldensCatchWrongConventions() throws {
        let golden = try GoldenFile.load("gammatone")
        let c = try XCTUnwrap(golden.cases.first { $0.id == "scipy_tone" })
        let signal = TestSignals.make(c.signal, n: c.n, sr: c.sr)
        for change in ["ellis", "power", "fmin"] {
            var p = parameters(for: c)
            switch change {
            case "ellis": p.framing = .ellis
            case "power": p.power = 2
            default: p.fmin = 50
            }
            let out = try Gammatone(parameters: p).makeWorker().extract([signal])
            let t = c.frameIndices[1]
            let rel = (0..<c.shape[1]).map { abs(Double(out[0, t, $0]) - c.frames[1][$0]) / abs(c.frames[1][$0]) }
            XCTAssertGreaterThan(rel.max() ?? 0, 100 * Self.relativeTolerance, change)
        }
    }

    func testSPSMRShapeAndManifest() throws {
        var p = GammatoneParameters()
        XCTAssertEqual(p.resolvedWinLength, 1764)
        XCTAssertEqual(p.resolvedHopLength, 882)
        XCTAssertEqual(p.resolvedNFFT, 4096)
        XCTAssertEqual(Gammatone(parameters: p).outputShape(channelCount: 1, sampleCount: 441_000), [1, 501, 64])
        p.framing = .scipy
        XCTAssertEqual(Gammatone(parameters: p).outputShape(channelCount: 1, sampleCount: 441_000), [1, 499, 64])
        p.framing = .ellis
        XCTAssertEqual(Gammatone(parameters: p).outputShape(channelCount: 1, sampleCount: 441_000), [1, 496, 64])
        let spec = FeatureSpec(name: "gamma64", parameters: p)
        let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        XCTAssertTrue(json.contains("\"nfft\":4096"), json)
        XCTAssertTrue(json.contains("\"framing\":\"ellis\""), json)
        let back = try JSONDecoder().decode(FeatureSpec.self, from: Data(json.utf8))
        XCTAssertEqual(back.makeExtractor().outputShape(channelCount: 1, sampleCount: 441_000), [1, 496, 64])
    }
}
