import DSP
import Foundation
import TestSupport
import XCTest
@testable import Features

/// MFCC against librosa 0.11 (Goldens/mfcc.json, made by Goldens/make_mfcc_goldens.py).
final class MFCCGoldenTests: XCTestCase {
    /// Absolute tolerance on coefficients and deltas. The floor is float32 rounding: librosa's own
    /// single-precision DCT is up to 6.5e-4 from a float64 DCT on these cases (|c_0| up to 7900 on
    /// the quiet clips; recorded per case in the golden as float32_dct_vs_float64_max_abs).
    static let tolerance = 1e-3

    static func parameters(for c: GoldenFile.Case) -> MFCCParameters {
        var p = MFCCParameters()
        p.sr = c.sr
        if let v = c.params["n_fft"]?.int { p.mel.nFFT = v }
        if let v = c.params["hop_length"]?.int { p.mel.hopLength = v }
        if let v = c.params["win_length"]?.int { p.mel.winLength = v }
        if let v = c.params["n_mels"]?.int { p.mel.nMels = v }
        if let v = c.params["htk"]?.bool { p.mel.melScale = v ? .htk : .slaney }
        if c.params["mel_norm"] == .null { p.mel.norm = MelNorm.none }
        if let v = c.params["n_mfcc"]?.int { p.nMFCC = v }
        if c.params["norm"] == .null { p.norm = .none }
        if let v = c.params["lifter"]?.double { p.lifter = v }
        if let v = c.params["delta_order"]?.int { p.deltaOrder = v }
        return p
    }

    /// The parts of mfcc.json that `GoldenFile` does not read.
    struct Extras: Decodable {
        struct Case: Decodable {
            let id: String
            /// c_0 of every frame.
            let c0: [Double]
            /// librosa's own float32 DCT against a float64 DCT of the same log-mel.
            let float32_dct_vs_float64_max_abs: Double
        }
        let cases: [Case]
    }

    func extras() throws -> [String: Extras.Case] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "mfcc", withExtension: "json", subdirectory: "Goldens"))
        let cases = try JSONDecoder().decode(Extras.self, from: Data(contentsOf: url)).cases
        return Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0) })
    }

    /// Every case at both STFT precisions of the mel part, each held to the same bar.
    func testAgainstLibrosa() throws {
        for precision in FFTPrecision.allCases { try check(precision) }
    }

    func check(_ precision: FFTPrecision) throws {
        let golden = try GoldenFile.load("mfcc")
        let extras = try extras()
        XCTAssertEqual(golden.reference["librosa"], "0.11.0")
        var worst = 0.0, sum = 0.0, count = 0, worstC0 = 0.0
        for c in golden.cases {
            var p = Self.parameters(for: c)
            p.mel.precision = precision
            let extractor = MFCC(parameters: p)
            let out = try extractor.makeWorker().extract([c.samples])
            XCTAssertEqual(Array(out.shape.dropFirst()), c.shape, c.id)
            guard Array(out.shape.dropFirst()) == c.shape else { continue }
            XCTAssertEqual(Double(out.values.max()!), c.max, accuracy: Self.tolerance, "\(c.id): max")
            let mean = out.values.reduce(0.0) { $0 + Double($1) } / Double(out.values.count)
            XCTAssertEqual(mean, c.mean, accuracy: Self.tolerance, "\(c.id): mean")
            var caseWorst = 0.0, caseSum = 0.0
            for (i, t) in c.frameIndices.enumerated() {
                for f in 0..<c.shape[1] {
                    let diff = abs(Double(out[0, t, f]) - c.frames[i][f])
                    caseWorst = max(caseWorst, diff)
                    caseSum += diff
                    sum += diff
                    count += 1
                    XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(c.id) \(precision) frame \(t) coefficient \(f)")
                }
            }
            // c_0 over the whole clip: the largest value, so the largest accumulation error.
            let e = try XCTUnwrap(extras[c.id], c.id)
            XCTAssertEqual(e.c0.count, c.shape[0], c.id)
            var c0Worst = 0.0
            for (t, ref) in e.c0.enumerated() where t < c.shape[0] {
                let diff = abs(Double(out[0, t, 0]) - ref)
                c0Worst = max(c0Worst, diff)
                XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(c.id) \(precision) frame \(t) c0")
            }
            worst = max(worst, caseWorst)
            worstC0 = max(worstC0, c0Worst)
            print("mfcc \(precision) \(c.id): max |diff| = \(caseWorst) (frames, mean \(caseSum / Double(c.frameIndices.count * c.shape[1]))), \(c0Worst) (c0, all frames); librosa float32 DCT vs float64: \(e.float32_dct_vs_float64_max_abs)")
        }
        print("mfcc \(precision) vs librosa \(golden.reference["librosa"] ?? "?"): max |diff| = \(worst), mean |diff| = \(sum / Double(count)) over \(count) values, c0 over all frames max \(worstC0), \(golden.cases.count) cases")
    }

    /// The goldens must tell a right DCT from a wrong one: an unnormalised DCT, a missing lifter
    /// or a wrong mel norm moves values by far more than the tolerance.
    func testGoldensCatchWrongConventions() throws {
        let golden = try GoldenFile.load("mfcc")
        for (id, mutate) in [("sps_code_chirp", { (p: inout MFCCParameters) in p.norm = .none }),
                             ("lifter_deltas_noise", { (p: inout MFCCParameters) in p.lifter = 0 }),
                             ("ascmamba_chirp", { (p: inout MFCCParameters) in p.mel.norm = MelNorm.none }),
                             ("ascmamba_chirp", { (p: inout MFCCParameters) in p.mel.db.topDB = nil })] as [(String, (inout MFCCParameters) -> Void)] {
            let c = try XCTUnwrap(golden.cases.first { $0.id == id })
            var p = Self.parameters(for: c)
            mutate(&p)
            let out = try MFCC(parameters: p).makeWorker().extract([TestSignals.make(c.signal, n: c.n, sr: c.sr)])
            var worst = 0.0
            for (i, t) in c.frameIndices.enumerated() {
                for f in 0..<c.shape[1] { worst = max(worst, abs(Double(out[0, t, f]) - c.frames[i][f])) }
            }
            XCTAssertGreaterThan(worst, 100 * Self.tolerance, id)
        }
    }

    /// c_0 of silence is exactly sqrt(1/M)·Σ(-100 dB) = -100·sqrt(M): a direct check of the scale.
    func testSilenceC0IsOrthonormalScale() throws {
        var p = MFCCParameters()
        p.sr = 22050
        let out = try MFCC(parameters: p).makeWorker().extract([[Float](repeating: 0, count: 4096)])
        XCTAssertEqual(Double(out[0, 0, 0]), -100 * Double(128).squareRoot(), accuracy: 1e-3)
        XCTAssertEqual(Double(out[0, 3, 5]), 0, accuracy: 1e-3)
    }

    func testDeltaNeedsWidthFrames() throws {
        var p = MFCCParameters()
        p.deltaOrder = 1
        XCTAssertThrowsError(try MFCC(parameters: p).makeWorker().extract([[Float](repeating: 0.1, count: 2048)]))
        XCTAssertEqual(MFCC(parameters: p).outputShape(channelCount: 2, sampleCount: 22050), [2, 44, 40])
    }
}
