import DSP
import TestSupport
import XCTest
@testable import Features

/// FOA log-mel + IV against a numpy transcription of the DCASE SELD baselines' feature code
/// (Goldens/foa.json, made by Goldens/make_foa_goldens.py), and a physical check of the IV direction.
final class FOAFeaturesTests: XCTestCase {
    static let toleranceDB = 0.01
    static let toleranceIV = 1e-5

    func parameters(for c: GoldenFile.Case) -> FOAParameters {
        var p = FOAParameters()
        p.sr = c.sr
        if let v = c.params["n_fft"]?.int { p.nFFT = v }
        if let v = c.params["hop_length"]?.int { p.hopLength = v }
        if let v = c.params["win_length"]?.int { p.winLength = v }
        if let v = c.params["n_mels"]?.int { p.nMels = v }
        if let v = c.params["convention"]?.string { p.convention = .init(rawValue: v)! }
        if let v = c.params["pad_mode"]?.string { p.padMode = .init(rawValue: v)! }
        if let v = c.params["sample_eps"]?.double { p.sampleEps = v }
        return p
    }

    func testAgainstBaselineTranscription() throws {
        let golden = try GoldenFile.load("foa")
        var worstDB = 0.0, worstIV = 0.0, sumDB = 0.0, sumIV = 0.0, nDB = 0, nIV = 0
        for c in golden.cases {
            let extractor = FOAFeatures(parameters: parameters(for: c))
            let out = try extractor.makeWorker().extract(c.channels)
            XCTAssertEqual(out.shape, c.shape, c.id)
            let mels = c.shape[2]
            var caseDB = 0.0, caseIV = 0.0, caseSumDB = 0.0, caseSumIV = 0.0
            defer {
                let values = Double(c.frameIndices.count * mels)
                print("FOA \(c.id): log-mel max |diff| \(caseDB) dB, mean \(caseSumDB / (4 * values)) dB; IV max |diff| \(caseIV), mean \(caseSumIV / (3 * values))")
            }
            for (i, t) in c.frameIndices.enumerated() {
                for ch in 0..<7 {
                    for m in 0..<mels {
                        let ref = c.frames[i][ch * mels + m], value = Double(out[ch, t, m])
                        let diff = abs(value - ref)
                        if ch < 4 {
                            caseDB = max(caseDB, diff); caseSumDB += diff
                            worstDB = max(worstDB, diff); sumDB += diff; nDB += 1
                            XCTAssertLessThanOrEqual(diff, Self.toleranceDB, "\(c.id) frame \(t) ch \(ch) mel \(m)")
                        } else {
                            caseIV = max(caseIV, diff); caseSumIV += diff
                            worstIV = max(worstIV, diff); sumIV += diff; nIV += 1
                            XCTAssertLessThanOrEqual(diff, Self.toleranceIV, "\(c.id) frame \(t) ch \(ch) mel \(m)")
                        }
                    }
                }
            }
            let logmel = out.values[0..<(4 * c.shape[1] * mels)]
            XCTAssertEqual(Double(logmel.max()!), c.max, accuracy: Self.toleranceDB, c.id)
            XCTAssertEqual(logmel.reduce(0.0) { $0 + Double($1) } / Double(logmel.count), c.mean,
                           accuracy: Self.toleranceDB, c.id)
        }
        print("FOA vs baseline transcription: log-mel |diff| max \(worstDB) mean \(sumDB / Double(nDB)) dB; IV |diff| max \(worstIV) mean \(sumIV / Double(nIV))")
    }

    /// Swapping the IV channel order (2021 vs 2022) or the channel order of the input must fail the goldens.
    func testGoldensCatchWrongChannelOrder() throws {
        let golden = try GoldenFile.load("foa")
        let c = try XCTUnwrap(golden.cases.first { $0.id == "ffmamba_2022" })
        var p = parameters(for: c)
        p.convention = .dcase2021
        let signal = TestSignals.makeMulti(c.signal, n: c.n, sr: c.sr)
        let wrongConvention = try FOAFeatures(parameters: p).makeWorker().extract(signal)
        let wxyz = [signal[0], signal[3], signal[1], signal[2]]  // channels given as W, X, Y, Z
        let wrongOrder = try FOAFeatures(parameters: parameters(for: c)).makeWorker().extract(wxyz)
        let t = c.frameIndices[3], mels = c.shape[2]
        for out in [wrongConvention, wrongOrder] {
            let diffs = (4..<7).flatMap { ch in (0..<mels).map { abs(Double(out[ch, t, $0]) - c.frames[3][ch * mels + $0]) } }
            XCTAssertGreaterThan(diffs.max() ?? 0, 100 * Self.toleranceIV)
        }
    }

    /// A plane wave encoded from (azimuth, elevation) gives an IV pointing there, in every band with energy.
    func testIntensityVectorPointsAtSource() throws {
        let sr = 24000, n = 24000
        // Band-limited noise: white noise through a 2nd-order difference of moving averages (~0.3-5 kHz).
        let white = TestSignals.noise(n + 64, seed: 3)
        var source = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var short: Float = 0, long: Float = 0
            for k in 0..<4 { short += white[i + k] }
            for k in 0..<32 { long += white[i + k] }
            source[i] = short / 4 - long / 32
        }
        var overall = 0.0
        let directions: [(Double, Double)] = [(0, 0), (90, 0), (-135, 30), (45, -60), (170, 75), (-20, -10)]
        for convention in [FOAParameters.Convention.dcase2022, .dcase2021] {
            var p = FOAParameters()
            p.convention = convention
            let extractor = FOAFeatures(parameters: p)
            let worker = extractor.makeWorker()
            for (azimuth, elevation) in directions {
                let g = TestSignals.foaGains(azimuth: azimuth, elevation: elevation)
                let foa = (0..<4).map { c in source.map { Float(Double($0) * g[c]) } }
                let out = try worker.extract(foa)
                // Channel of x, y, z within the IV block.
                let (cx, cy, cz) = convention == .dcase2022 ? (6, 4, 5) : (4, 5, 6)
                var worst = 0.0
                let t = out.shape[1] / 2
                for m in 0..<p.nMels {
                    let x = Double(out[cx, t, m]), y = Double(out[cy, t, m]), z = Double(out[cz, t, m])
                    let norm = (x * x + y * y + z * z).squareRoot()
                    guard norm > 1e-6 else { continue }
                    let az = atan2(y, x) * 180 / Double.pi, el = asin(z / norm) * 180 / Double.pi
                    var dAz = abs(az - azimuth).truncatingRemainder(dividingBy: 360)
                    if dAz > 180 { dAz = 360 - dAz }
                    worst = max(worst, abs(el - elevation), abs(elevation) > 89 ? 0 : dAz * cos(elevation * Double.pi / 180))
                }
                XCTAssertLessThan(worst, 1.0, "\(convention) source at (\(azimuth), \(elevation)): \(worst)°")
                XCTAssertEqual(out.shape, [7, n / 300, 128])
                overall = max(overall, worst)
            }
        }
        print("FOA plane-wave IV direction: worst angular error \(overall)° over \(directions.count) directions")
    }

    func testShapeAndChannelCheck() throws {
        let extractor = FOAFeatures(parameters: FOAParameters())
        XCTAssertEqual(extractor.outputShape(channelCount: 4, sampleCount: 240_000), [7, 800, 128])
        XCTAssertThrowsError(try extractor.makeWorker().extract([[Float](repeating: 0, count: 1000)]))
        var p = FOAParameters()
        p.keepAllFrames = true
        XCTAssertEqual(FOAFeatures(parameters: p).outputShape(channelCount: 4, sampleCount: 240_000), [7, 801, 128])
    }
}
