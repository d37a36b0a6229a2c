import DSP
import TestSupport
import XCTest
@testable import Features

/// CQT against librosa 0.11 `cqt` and nnAudio's CQT1992v2 formulas (Goldens/cqt.json, made by
/// Goldens/make_cqt_goldens.py).
final class CQTGoldenTests: XCTestCase {
    /// Relative tolerance on |C| wherever the reference is above -80 dB of the clip's maximum.
    static let relativeTolerance = 1e-3
    /// The same tolerance for dB output: 20·log10(1 + 1e-3).
    static let dbTolerance = 20 * log10(1 + relativeTolerance)

    static func parameters(for c: GoldenFile.Case) -> CQTParameters {
        var p = CQTParameters()
        p.sr = c.sr
        if let v = c.params["variant"]?.string { p.variant = CQTParameters.Variant(rawValue: v)! }
        if let v = c.params["fmin"]?.double { p.fmin = v }
        if let v = c.params["n_bins"]?.int { p.nBins = v }
        if let v = c.params["hop_length"]?.int { p.hopLength = v }
        if let v = c.params["bins_per_octave"]?.int { p.binsPerOctave = v }
        if let v = c.params["window"]?.string { p.window = WindowFunction(rawValue: v)! }
        if let v = c.params["pad_mode"]?.string { p.padMode = PadMode(rawValue: v)! }
        if let v = c.params["pad_tail"]?.string { p.padTail = TailPadding(rawValue: v)! }
        if let v = c.params["scale"]?.bool { p.scale = v }
        if let v = c.params["output"]?.string { p.output = CQTParameters.Output(rawValue: v)! }
        if let v = c.params["ref"]?.string, v == "max" { p.ref = .max }
        return p
    }

    struct Errors {
        var maxAbs = 0.0, maxRel = 0.0, sumAbs = 0.0, count = 0
        mutating func add(_ other: Errors) {
            maxAbs = max(maxAbs, other.maxAbs); maxRel = max(maxRel, other.maxRel)
            sumAbs += other.sumAbs; count += other.count
        }
        var description: String {
            "max |diff| = \(maxAbs), max rel (above -80 dB) = \(maxRel), mean |diff| = \(count > 0 ? sumAbs / Double(count) : 0) over \(count) values"
        }
    }

    func compare(_ c: GoldenFile.Case, _ out: FeatureTensor) -> Errors {
        var e = Errors()
        let isDB = c.params["output"]?.string == "db"
        let floor = c.max * 1e-4  // -80 dB in amplitude
        for (i, t) in c.frameIndices.enumerated() {
            for f in 0..<c.shape[1] {
                let mine = Double(out[0, t, f]), ref = c.frames[i][f]
                let diff = abs(mine - ref)
                e.maxAbs = max(e.maxAbs, diff); e.sumAbs += diff; e.count += 1
                if isDB {
                    XCTAssertLessThanOrEqual(diff, Self.dbTolerance, "\(c.id) frame \(t) bin \(f) (dB)")
                } else if ref > floor {
                    let rel = diff / ref
                    e.maxRel = max(e.maxRel, rel)
                    XCTAssertLessThanOrEqual(rel, Self.relativeTolerance, "\(c.id) frame \(t) bin \(f): \(mine) vs \(ref)")
                } else {
                    // Cells below -80 dB are float32 rounding noise of the whole transform in
                    // both implementations (~1e-7 of the maximum); hold them to -120 dB.
                    XCTAssertLessThanOrEqual(diff, 1e-6 * max(c.max, 1e-12), "\(c.id) frame \(t) bin \(f) (below -80 dB)")
                }
            }
        }
        return e
    }

    func testAgainstReferences() throws {
        let golden = try GoldenFile.load("cqt")
        XCTAssertEqual(golden.reference["librosa"], "0.11.0")
        var librosaErrors = Errors(), nnaudioErrors = Errors()
        for c in golden.cases {
            let extractor = CQT(parameters: Self.parameters(for: c))
            XCTAssertNil(extractor.configurationError, c.id)
            let out = try extractor.makeWorker().extract([c.samples])
            XCTAssertEqual(Array(out.shape.dropFirst()), c.shape, c.id)
            guard Array(out.shape.dropFirst()) == c.shape else { continue }
            let maxValue = Double(out.values.max()!)
            let mean = out.values.reduce(0.0) { $0 + Double($1) } / Double(out.values.count)
            if c.params["output"]?.string == "db" {
                XCTAssertEqual(maxValue, c.max, accuracy: Self.dbTolerance, "\(c.id): max")
                XCTAssertEqual(mean, c.mean, accuracy: Self.dbTolerance, "\(c.id): mean")
            } else {
                XCTAssertEqual(maxValue, c.max, accuracy: Self.relativeTolerance * c.max, "\(c.id): max")
                XCTAssertEqual(mean, c.mean, accuracy: Self.relativeTolerance * max(c.mean, 1e-12), "\(c.id): mean")
            }
            let e = compare(c, out)
            print("cqt \(c.id): \(e.description)")
            if c.params["variant"]?.string == "nnaudio1992v2" { nnaudioErrors.add(e) } else { librosaErrors.add(e) }
        }
        print("cqt (librosa \(golden.reference["librosa"] ?? "?")): \(librosaErrors.description)")
        print("cqt (nnAudio CQT1992v2 formulas): \(nnaudioErrors.description)")
    }

    /// The golden cases cover both scaling pitfalls: with early downsampling by 8 (SPS paper
    /// settings) a wrong `sqrt(sr'/sr_i)` or `L_k` at the input rate is off by sqrt(8).
    func testGoldenCasesExerciseEarlyDownsampling() throws {
        var p = CQTParameters()
        p.sr = 44100; p.nBins = 64
        guard case .librosa(let t) = CQT(parameters: p).engine else { return XCTFail("not librosa") }
        XCTAssertEqual(t.earlyDownsampleFactor, 8)
        XCTAssertEqual(t.octaves.first?.sampleRate, 5512.5)
        XCTAssertEqual(t.octaves.first?.hopLength, 64)
        p.nBins = 84
        guard case .librosa(let t84) = CQT(parameters: p).engine else { return XCTFail("not librosa") }
        XCTAssertEqual(t84.earlyDownsampleFactor, 2)
        XCTAssertEqual(t84.octaves.map(\.nFFT), [256, 256, 256, 256, 256, 256, 256])
    }

    /// Turning off `scale` or swapping the variant must move values far beyond the tolerance.
    func testGoldensCatchWrongScale() throws {
        let golden = try GoldenFile.load("cqt")
        let c = try XCTUnwrap(golden.cases.first { $0.id == "sps_paper_chirp" })
        var p = Self.parameters(for: c)
        p.scale = false
        let out = try CQT(parameters: p).makeWorker().extract([TestSignals.make(c.signal, n: c.n, sr: c.sr)])
        // Frame 1: the chirp is still inside the CQT's range (~330 Hz).
        let t = c.frameIndices[1]
        let ratios = (0..<c.shape[1]).compactMap { f in c.frames[1][f] > c.max * 1e-2 ? Double(out[0, t, f]) / c.frames[1][f] : nil }
        XCTAssertGreaterThan(ratios.max() ?? 0, 10)
        p = Self.parameters(for: c)
        p.variant = .nnaudio1992v2; p.fmin = ConstantQFilters.c1
        let other = try CQT(parameters: p).makeWorker().extract([TestSignals.make(c.signal, n: c.n, sr: c.sr)])
        let worst = (0..<c.shape[1]).map { abs(Double(other[0, t, $0]) - c.frames[1][$0]) / max(c.frames[1][$0], 1e-6) }.max() ?? 0
        XCTAssertGreaterThan(worst, 100 * Self.relativeTolerance)
    }

    func testInvalidParametersFailCleanly() throws {
        var p = CQTParameters()
        p.sr = 8000  // C1 + 84 bins reaches 3951 Hz · (1 + B/2Q) > 4000 Hz
        let spec = FeatureSpec(name: "cqt", parameters: p)
        XCTAssertThrowsError(try spec.validate())
        XCTAssertThrowsError(try CQT(parameters: p).makeWorker().extract([[Float](repeating: 0, count: 8000)]))
    }

    /// Not an assertion: prints ms per 10-s clip (use `swift test -c release` for real numbers).
    func testTimingPrint() throws {
        let clip = [TestSignals.noise(441_000)]
        var librosaDefault = CQTParameters(); librosaDefault.sr = 44100
        var spsPaper = librosaDefault; spsPaper.nBins = 64
        var spsCode = librosaDefault; spsCode.variant = .nnaudio1992v2; spsCode.fmin = 220; spsCode.nBins = 64
        var mfcc = MFCCParameters(); mfcc.sr = 44100; mfcc.nMFCC = 40; mfcc.mel.nMels = 40
        for (label, extractor) in [("cqt librosa 84 bins", CQT(parameters: librosaDefault) as any FeatureExtractor),
                                   ("cqt librosa 64 bins (SPS paper)", CQT(parameters: spsPaper)),
                                   ("cqt nnaudio1992v2 fmin 220, 64 bins (SPS code)", CQT(parameters: spsCode)),
                                   ("mfcc 40 (SPS paper)", MFCC(parameters: mfcc))] {
            let ms = try FeatureTiming.measure(extractor, clip: clip, repeats: 3)
            print(String(format: "timing: %@ on a 10-s 44.1 kHz clip: %.2f ms", label, ms))
        }
        // The share of soxr HQ (needed for librosa parity) in the librosa-variant CQT at 44.1 kHz
        // with 84 bins: one 2:1 early decimation, then 2:1 per octave on ever shorter signals.
        var buffer = [Float](), half = [Float]()
        let repeats = 3
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats {
            var length = try clip[0].withUnsafeBufferPointer { try Downsampler.downsample($0, factor: 2, into: &buffer) }
            for _ in 0..<6 {
                length = try buffer.withUnsafeBufferPointer {
                    try Downsampler.downsample(UnsafeBufferPointer(rebasing: $0[0..<length]), factor: 2, into: &half)
                }
                swap(&buffer, &half)
            }
        }
        let soxrMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repeats)
        print(String(format: "timing: soxr HQ decimations alone (cqt librosa 84 bins at 44.1 kHz): %.2f ms", soxrMs))
    }
}
