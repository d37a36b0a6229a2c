import DSP
import TestSupport
import XCTest
@testable import Features

/// Tgram framing and fixed projection against the Conv1d definition (Goldens/tgram.json, made by
/// Goldens/make_tgram_goldens.py), and the NPY reader against numpy-written files.
final class TgramTests: XCTestCase {
    static let tolerance = 1e-5

    func goldenURL(_ name: String, _ ext: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Goldens"))
    }

    func testAgainstConv1dDefinition() throws {
        let golden = try GoldenFile.load("tgram")
        let weights = try NPYArray(contentsOf: goldenURL("tgram_weights", "npy"))
        XCTAssertEqual(weights.shape, [8, 1024])
        var worst = 0.0, sum = 0.0, count = 0
        for c in golden.cases {
            var p = TgramParameters()
            p.sr = c.sr
            if let v = c.params["win_length"]?.int { p.winLength = v }
            if let v = c.params["hop_length"]?.int { p.hopLength = v }
            // Projection cases load the weights through the spec's path, as a pipeline does.
            if let file = c.params["weights"]?.string { p.weights = try goldenURL(String(file.dropLast(4)), "npy").path }
            let extractor = Tgram(parameters: p)
            XCTAssertNil(extractor.loadError)
            if p.weights != nil { XCTAssertEqual(extractor.projection, weights) }
            let out = try extractor.makeWorker().extract([TestSignals.make(c.signal, n: c.n, sr: c.sr)])
            XCTAssertEqual(Array(out.shape.dropFirst()), c.shape, c.id)
            for (i, t) in c.frameIndices.enumerated() {
                for k in 0..<c.shape[1] {
                    let diff = abs(Double(out[0, t, k]) - c.frames[i][k])
                    worst = max(worst, diff); sum += diff; count += 1
                    XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(c.id) frame \(t) value \(k)")
                }
            }
        }
        print("tgram vs Conv1d definition: |diff| max \(worst) mean \(sum / Double(count))")
    }

    func testSTgramShapeAndFramePosition() throws {
        let extractor = Tgram(parameters: TgramParameters())
        XCTAssertEqual(extractor.outputShape(channelCount: 1, sampleCount: 160_000), [1, 313, 1024])
        // Frame t is centred on sample t·hop: with padding 512, frame 1 starts at sample 0.
        let x = (0..<4096).map { Float($0) }
        let out = try extractor.makeWorker().extract([x])
        XCTAssertEqual(out[0, 0, 511], 0)
        XCTAssertEqual(out[0, 0, 512], 0)
        XCTAssertEqual(out[0, 0, 513], 1)
        XCTAssertEqual(out[0, 1, 0], 0)
        XCTAssertEqual(out[0, 1, 1023], 1023)
    }

    func testWeightsFileErrors() throws {
        var p = TgramParameters()
        p.weights = "/nonexistent/w.npy"
        XCTAssertThrowsError(try Tgram(parameters: p).makeWorker().extract([[Float](repeating: 0, count: 2048)]))
        let wrong = NPYArray(shape: [4, 100], values: [Float](repeating: 0, count: 400))
        XCTAssertNotNil(Tgram(parameters: TgramParameters(), projection: wrong).loadError)
    }

    func testNPYReaderFortranFloat64() throws {
        struct Extra: Decodable { let fortran_f8: [[Double]] }
        let extra = try JSONDecoder().decode(Extra.self, from: Data(contentsOf: goldenURL("tgram", "json")))
        let array = try NPYArray(contentsOf: goldenURL("npy_fortran_f8", "npy"))
        XCTAssertEqual(array.shape, [3, 5])
        for r in 0..<3 { for c in 0..<5 { XCTAssertEqual(Double(array.values[r * 5 + c]), extra.fortran_f8[r][c], accuracy: 1e-7) } }
        XCTAssertThrowsError(try NPYArray(data: Data("not numpy".utf8)))
    }

    func testSpecRoundTrip() throws {
        let yaml = #"{"name":"tgram","kind":"tgram","hop_length":256}"#
        let spec = try JSONDecoder().decode(FeatureSpec.self, from: Data(yaml.utf8))
        XCTAssertEqual(spec.makeExtractor().outputShape(channelCount: 1, sampleCount: 16_000), [1, 63, 1024])
        let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        XCTAssertTrue(json.contains("\"padding\":512"), json)
    }
}
