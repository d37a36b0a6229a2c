@testable import DSP
import XCTest

/// Mel scale and filterbank against librosa 0.11 (features.md §1.3), compared bit for bit: the
/// construction repeats librosa's float64 operations in the same order, so any difference means a
/// changed formula, constant or rounding step, not numerical noise.
final class MelTests: XCTestCase {
    func testHzToMelBitForBit() throws {
        let g = try DSPGoldens.load().melScale
        for (i, f) in g.hz.enumerated() {
            XCTAssertEqual(MelScale.slaney.mel(fromHz: f), g.hzToMelSlaney[i], "slaney hz_to_mel(\(f))")
            XCTAssertEqual(MelScale.htk.mel(fromHz: f), g.hzToMelHTK[i], "htk hz_to_mel(\(f))")
        }
    }

    func testMelToHzBitForBit() throws {
        let g = try DSPGoldens.load().melScale
        for (i, m) in g.mels.enumerated() {
            XCTAssertEqual(MelScale.slaney.hz(fromMel: m), g.melToHzSlaney[i], "slaney mel_to_hz(\(m))")
            XCTAssertEqual(MelScale.htk.hz(fromMel: m), g.melToHzHTK[i], "htk mel_to_hz(\(m))")
        }
    }

    /// Anchor points of features.md §1.3, independent of the goldens.
    func testKnownPoints() {
        // librosa's min_log_mel is 1000 / (200/3) = 14.999999999999998, not 15.
        XCTAssertEqual(MelScale.slaney.mel(fromHz: 1000), 1000 / (200.0 / 3))
        XCTAssertEqual(MelScale.slaney.mel(fromHz: 1000), 15, accuracy: 1e-14)
        XCTAssertEqual(MelScale.slaney.mel(fromHz: 22050), 59.99247, accuracy: 1e-5)
        XCTAssertEqual(MelScale.slaney.hz(fromMel: 3), 200, accuracy: 1e-12)
        XCTAssertEqual(MelScale.htk.mel(fromHz: 700), 2595 * log10(2.0), accuracy: 1e-12)
    }

    func testMelFrequenciesBitForBit() throws {
        for c in try DSPGoldens.load().melFrequencies {
            let scale: MelScale = c.htk ? .htk : .slaney
            XCTAssertEqual(scale.frequencies(count: c.nMels, fmin: c.fmin, fmax: c.fmax), c.values,
                           "mel_frequencies(\(c.nMels), \(c.fmin)...\(c.fmax), htk=\(c.htk))")
        }
    }

    /// numpy's linspace: `i*step + start`, the last point forced to `stop`.
    func testLinspace() {
        XCTAssertEqual(linspace(0, 1, 0), [])
        XCTAssertEqual(linspace(2, 5, 1), [2])
        XCTAssertEqual(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1])
        let x = linspace(1.0 / 3, 2.1, 6)
        XCTAssertEqual(x.last, 2.1)  // 5*step + start would give 2.1000000000000005
        XCTAssertEqual(x[3], 3 * ((2.1 - 1.0 / 3) / 5) + 1.0 / 3)
    }

    func testFilterbankWeightsBitExact() throws {
        var checked = 0
        for c in try DSPGoldens.load().melFilters {
            let fb = MelFilterbank(sampleRate: c.sr, nFFT: c.nFFT, nMels: c.nMels, fmin: c.fmin, fmax: c.fmax,
                                   scale: c.htk ? .htk : .slaney, norm: c.norm == nil ? MelNorm.none : .slaney)
            XCTAssertEqual([fb.nMels, fb.binCount], c.shape, c.id)
            let expected = c.dense
            XCTAssertEqual(fb.weights.count, expected.count, c.id)
            var mismatches = 0
            for (i, (a, b)) in zip(fb.weights, expected).enumerated() where a.bitPattern != b.bitPattern {
                if mismatches < 5 {
                    XCTFail("\(c.id): W[\(i / fb.binCount), \(i % fb.binCount)] = \(a), librosa \(b)")
                }
                mismatches += 1
            }
            XCTAssertEqual(mismatches, 0, "\(c.id): \(mismatches) weights differ")
            checked += expected.count
        }
        XCTAssertGreaterThan(checked, 60_000)
    }

    /// The band edges are `mel_frequencies(n_mels + 2, fmin, fmax)`.
    func testFilterbankEdges() throws {
        let fb = MelFilterbank(sampleRate: 16000, nFFT: 512, nMels: 40)
        XCTAssertEqual(fb.edges, MelScale.slaney.frequencies(count: 42, fmin: 0, fmax: 8000))
        XCTAssertEqual(fb.edges.first, 0)
        XCTAssertEqual(fb.edges.last!, 8000, accuracy: 1e-9)  // mel_to_hz(hz_to_mel(8000)), not exactly 8000
    }

    /// Slaney norm gives each triangle unit area in Hz: sum of weights × bin spacing ≈ 1 for bands
    /// wide enough to be sampled well. norm=none gives a peak of at most 1.
    func testNormalisation() {
        let sr = 16000.0, nFFT = 2048
        let slaney = MelFilterbank(sampleRate: sr, nFFT: nFFT, nMels: 40)
        let binHz = sr / Double(nFFT)
        for i in 10..<40 {
            let row = slaney.weights[(i * slaney.binCount)..<((i + 1) * slaney.binCount)]
            XCTAssertEqual(row.reduce(0.0) { $0 + Double($1) } * binHz, 1, accuracy: 0.02, "band \(i)")
        }
        let peak = MelFilterbank(sampleRate: sr, nFFT: nFFT, nMels: 40, norm: .none)
        XCTAssertLessThanOrEqual(peak.weights.max()!, 1)
        XCTAssertGreaterThan(peak.weights.max()!, 0.9)
    }

    /// `apply` is `spectrum · Wᵀ`: one frame that is a unit impulse at bin k yields column k of W.
    func testApplySelectsColumns() {
        let fb = MelFilterbank(sampleRate: 8000, nFFT: 64, nMels: 8)
        let bins = fb.binCount
        var spectrum = [Float](repeating: 0, count: bins * bins)
        for k in 0..<bins { spectrum[k * bins + k] = 1 }
        var out = [Float](repeating: -1, count: bins * fb.nMels)
        fb.apply(spectrum, frames: bins, into: &out)
        for k in 0..<bins {
            for m in 0..<fb.nMels { XCTAssertEqual(out[k * fb.nMels + m], fb.weights[m * bins + k]) }
        }
    }
}
