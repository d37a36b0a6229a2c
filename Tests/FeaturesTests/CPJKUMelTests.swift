import DSP
import Foundation
import TestSupport
import XCTest
@testable import Features

/// The CP-JKU front end (`AugmentMelSTFT`, eval) against Goldens/cpjku.json, a numpy transcription of
/// the torch reference made by Goldens/make_cpjku_goldens.py (torch is not installed here).
final class CPJKUMelTests: XCTestCase {
    /// Largest difference allowed in the normalised output `(ln(mel + 1e-5) + 4.5) / 5` (1e-6 is
    /// 5e-6 in ln units, 2e-5 dB; outputs reach 3.6, where one float32 ulp is 2.4e-7). Sources of
    /// difference: sgemm summation order and glibc `logf` against the reference's exactly rounded log.
    /// A wrong window, pad mode, pre-emphasis, bank or normalisation moves values by far more (tested).
    static let tolerance = 1e-6

    /// The parts of cpjku.json that `GoldenFile` does not read.
    struct Extras: Decodable {
        struct Case: Decodable {
            let id: String
            let fft32_spread: Double
            let np_hanning_effect: Double
        }
        struct Row: Decodable {
            let start: Int
            let values: [Double]
        }
        struct Bank: Decodable {
            let shape: [Int]
            let sum: Double
            let nonzero: Int
            let rows: [String: Row]
            let slaney_max_abs_diff: Double
            let torch_window_vs_numpy_hanning: Double
            let torch_window_samples: [String: Double]
        }
        let cases: [Case]
        let bank: Bank
    }

    func extras() throws -> Extras {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "cpjku", withExtension: "json", subdirectory: "Goldens"))
        return try JSONDecoder().decode(Extras.self, from: Data(contentsOf: url))
    }

    func parameters(for c: GoldenFile.Case) -> CPJKUMelParameters {
        var p = CPJKUMelParameters()
        p.sr = c.sr
        if let v = c.params["n_fft"]?.int { p.nFFT = v }
        if let v = c.params["win_length"]?.int { p.winLength = v }
        if let v = c.params["hop_length"]?.int { p.hopLength = v }
        if let v = c.params["n_mels"]?.int { p.nMels = v }
        if let v = c.params["fmin"]?.double { p.fmin = v }
        if let v = c.params["fmax"]?.double { p.fmax = v }
        if let v = c.params["fmax_aug_range"]?.int { p.fmaxAugRange = v }
        return p
    }

    /// Max and mean |diff| over the stored frames of one case.
    func compare(_ out: FeatureTensor, _ c: GoldenFile.Case, channel: Int = 0) -> (max: Double, mean: Double) {
        var worst = 0.0, sum = 0.0, count = 0
        for (i, t) in c.frameIndices.enumerated() {
            for f in 0..<c.shape[1] {
                let d = abs(Double(out[channel, t, f]) - c.frames[i][f])
                worst = max(worst, d)
                sum += d
                count += 1
            }
        }
        return (worst, sum / Double(max(count, 1)))
    }

    func run(_ p: CPJKUMelParameters, _ c: GoldenFile.Case) throws -> FeatureTensor {
        try CPJKUMel(name: "cpjku", parameters: p).makeWorker().extract([TestSignals.make(c.signal, n: c.n, sr: c.sr)])
    }

    func testAgainstReferenceTranscription() throws {
        let golden = try GoldenFile.load("cpjku")
        let spreads = Dictionary(uniqueKeysWithValues: try extras().cases.map { ($0.id, ($0.fft32_spread, $0.np_hanning_effect)) })
        XCTAssertEqual(golden.cases.count, 5)
        var worst = 0.0, meanSum = 0.0
        for c in golden.cases {
            let out = try run(parameters(for: c), c)
            XCTAssertEqual(Array(out.shape.dropFirst()), c.shape, c.id)
            let (maxDiff, meanDiff) = compare(out, c)
            var top = -Double.infinity, total = 0.0
            for v in out.values { top = max(top, Double(v)); total += Double(v) }
            XCTAssertEqual(top, c.max, accuracy: Self.tolerance, "\(c.id): max")
            XCTAssertEqual(total / Double(out.values.count), c.mean, accuracy: Self.tolerance, "\(c.id): mean")
            XCTAssertLessThanOrEqual(maxDiff, Self.tolerance, c.id)
            print(String(format: "cpjku_mel %@: max |diff| %.2e, mean %.2e (float32-FFT spread of the reference %.1e, np.hanning effect %.1e)",
                         c.id, maxDiff, meanDiff, spreads[c.id]?.0 ?? .nan, spreads[c.id]?.1 ?? .nan))
            worst = max(worst, maxDiff)
            meanSum += meanDiff
        }
        print(String(format: "cpjku_mel vs numpy transcription: max |diff| = %.2e, mean %.2e over %d cases",
                     worst, meanSum / Double(golden.cases.count), golden.cases.count))
    }

    func testSilenceIsTheLogOffset() throws {
        let out = try CPJKUMel().makeWorker().extract([[Float](repeating: 0, count: 32000)])
        let expected = (logf(1e-5) + 4.5) / 5
        XCTAssertTrue(out.values.allSatisfy { $0 == expected })
    }

    /// DS-FlexiNet (seed 001, §III-B): 32 kHz, 256 bins, 64 frames per 1-second file. The pre-emphasis
    /// drops one sample: 1 + 31999/500 = 64, where a plain centred STFT would give 65.
    func testOneSecondGives64Frames() throws {
        let extractor = CPJKUMel()
        XCTAssertEqual(extractor.outputShape(channelCount: 1, sampleCount: 32000), [1, 64, 256])
        XCTAssertEqual(extractor.outputShape(channelCount: 2, sampleCount: 320_000), [2, 640, 256])
        let out = try extractor.makeWorker().extract([TestSignals.noise(32000)])
        XCTAssertEqual(out.shape, [1, 64, 256])
        XCTAssertEqual(STFT(nFFT: 4096, hopLength: 500, winLength: 3072).frameCount(sampleCount: 32000), 65)
    }

    func testChannelsAreIndependent() throws {
        let a = TestSignals.noise(32000), b = TestSignals.chirp(32000, sr: 32000)
        let worker = CPJKUMel().makeWorker()
        let both = try worker.extract([a, b])
        let mono = try worker.extract([b])
        XCTAssertEqual(both.shape, [2, 64, 256])
        XCTAssertEqual(Array(both.values[(64 * 256)...]), mono.values)
    }

    func testKaldiBankAgainstReference() throws {
        let ref = try extras().bank
        let bank = try KaldiMelFilterbank(numBins: 256, windowLengthPadded: 4096, sampleFreq: 32000, lowFreq: 0, highFreq: 15500)
        XCTAssertEqual([bank.numBins, bank.binCount], ref.shape)
        XCTAssertEqual(bank.weights.filter { $0 != 0 }.count, ref.nonzero)
        XCTAssertEqual(bank.weights.reduce(0.0) { $0 + Double($1) }, ref.sum, accuracy: 1e-4)
        var worst = 0.0
        for (key, row) in ref.rows {
            let r = try XCTUnwrap(Int(key))
            let weights = Array(bank.weights[(r * bank.binCount)..<((r + 1) * bank.binCount)])
            XCTAssertEqual(weights.firstIndex { $0 != 0 }, row.start, "row \(r)")
            for (j, v) in row.values.enumerated() { worst = max(worst, abs(Double(weights[row.start + j]) - v)) }
        }
        XCTAssertLessThanOrEqual(worst, 1e-6)
        XCTAssertEqual(Double(bank.weights.reduce(0) { $0 + Double($1) }), ref.sum, accuracy: 1e-9)
        for r in 0..<bank.numBins { XCTAssertEqual(bank.weights[r * bank.binCount + 2048], 0, "Nyquist column of row \(r)") }
        XCTAssertEqual(Double(bank.weights.max() ?? 0), 1, accuracy: 0.05, "peak 1, no area normalisation")
        print(String(format: "kaldi bank vs reference (6 rows): max |diff| %.2e; torch float32 Hann vs np.hanning: %.1e",
                     worst, ref.torch_window_vs_numpy_hanning))
    }

    /// `torch.hann_window(3072, periodic=False)`'s float32 roundings, sample for sample.
    func testTorchWindow() throws {
        let ref = try extras().bank
        let torch = WindowFunction.torchHannSymmetric.values(length: 3072)
        let numpy = WindowFunction.hannSymmetric.values(length: 3072)
        for (key, value) in ref.torch_window_samples { XCTAssertEqual(torch[try XCTUnwrap(Int(key))], value, key) }
        let apart = zip(torch, numpy).map { abs($0 - $1) }.max() ?? 0
        XCTAssertEqual(apart, ref.torch_window_vs_numpy_hanning, accuracy: 1e-15)
        XCTAssertEqual(torch.first, 0)
        XCTAssertEqual(WindowFunction.torchHannSymmetric.values(length: 1), [1])
    }

    /// librosa's default bank (Slaney scale, triangles in Hz, unit area) and an HTK-scale bank with
    /// Hz triangles and peak 1 (torchaudio's `melscale_fbanks`) are both different from Kaldi's, so a
    /// swap would be caught by these numbers as well as by the goldens.
    func testKaldiBankDiffersFromLibrosaBanks() throws {
        let kaldi = try KaldiMelFilterbank(numBins: 256, windowLengthPadded: 4096, sampleFreq: 32000, lowFreq: 0, highFreq: 15500)
        let slaney = MelFilterbank(sampleRate: 32000, nFFT: 4096, nMels: 256, fmin: 0, fmax: 15500)
        let htk = MelFilterbank(sampleRate: 32000, nFFT: 4096, nMels: 256, fmin: 0, fmax: 15500, scale: .htk, norm: .none)
        XCTAssertEqual(slaney.weights.count, kaldi.weights.count)
        let dSlaney = zip(kaldi.weights, slaney.weights).map { abs($0 - $1) }.max() ?? 0
        let dHTK = zip(kaldi.weights, htk.weights).map { abs($0 - $1) }.max() ?? 0
        XCTAssertGreaterThan(dSlaney, 0.5)
        // Narrow triangles are almost linear in mel and in Hz alike, so the HTK bank is close, but still
        // 100 times the bank's error against the reference (2e-4 at the output: caught by the goldens).
        XCTAssertGreaterThan(dHTK, 1e-3)
        XCTAssertEqual(Double(dSlaney), try extras().bank.slaney_max_abs_diff, accuracy: 1e-5)
        print(String(format: "kaldi vs librosa banks: max |diff| Slaney %.3f, HTK/no-norm %.3f", dSlaney, dHTK))
    }

    /// Each convention the reference fixes must move the stored frames by far more than the tolerance.
    func testGoldensCatchWrongConventions() throws {
        let golden = try GoldenFile.load("cpjku")
        let c = try XCTUnwrap(golden.cases.first { $0.id == "chirp_1s" })
        let base = parameters(for: c)
        // (label, parameters, how many tolerances the stored frames must move at least)
        var variants: [(String, CPJKUMelParameters, Double)] = []
        var p = base; p.window = .hann; variants.append(("periodic Hann", p, 100))
        p = base; p.padMode = .constant; variants.append(("zero padding", p, 100))
        p = base; p.preemphasis = 0; variants.append(("no pre-emphasis", p, 100))
        p = base; p.fmax = 16000; variants.append(("fmax sr/2", p, 100))
        p = base; p.window = .hannSymmetric; variants.append(("np.hanning instead of torch's float32 Hann", p, 10))
        p = base; p.normalizeShift = 0; p.normalizeScale = 1; variants.append(("no normalisation", p, 100))
        p = base; p.power = 1; variants.append(("magnitude", p, 100))
        for (label, variant, factor) in variants {
            let (maxDiff, _) = compare(try run(variant, c), c)
            XCTAssertGreaterThan(maxDiff, factor * Self.tolerance, label)
            print(String(format: "cpjku_mel with %@: max |diff| %.2e", label, maxDiff))
        }
    }

    func testParametersCodable() throws {
        let decoded = try JSONDecoder().decode(CPJKUMelParameters.self, from: Data("{}".utf8))
        XCTAssertEqual(decoded, CPJKUMelParameters())
        XCTAssertEqual(decoded.resolvedFmax, 15500)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(decoded)) as? [String: Any]
        let keys = Set(try XCTUnwrap(json).keys)
        XCTAssertEqual(keys, ["sr", "n_fft", "win_length", "hop_length", "n_mels", "fmin", "fmax", "fmax_aug_range",
                              "preemphasis", "window", "center", "pad_mode", "power", "log_offset",
                              "normalize_shift", "normalize_scale"])
        XCTAssertEqual(json?["fmax"] as? Double, 15500)
        XCTAssertEqual(json?["window"] as? String, "torch_hann_symmetric")
        XCTAssertEqual(json?["pad_mode"] as? String, "reflect")

        let custom = try JSONDecoder().decode(CPJKUMelParameters.self, from: Data("""
            {"sr": 44100, "hopsize": 441, "n_mels": 128, "fmax_aug_range": 2000, "log_offset": 1e-6}
            """.utf8))
        XCTAssertEqual(custom.hopLength, 441)
        XCTAssertEqual(custom.resolvedFmax, Double(22050 - 1000))
        XCTAssertEqual(custom.logOffset, 1e-6)
        // A decoded manifest reproduces the same parameters (fmax now explicit).
        let again = try JSONDecoder().decode(CPJKUMelParameters.self, from: JSONEncoder().encode(custom))
        XCTAssertEqual(again.resolvedFmax, custom.resolvedFmax)
        XCTAssertEqual(again.hopLength, 441)
        XCTAssertThrowsError(try JSONDecoder().decode(CPJKUMelParameters.self,
                                                      from: Data(#"{"hop_length": 500, "hopsize": 320}"#.utf8)))
    }

    func testRefusals() throws {
        var p = CPJKUMelParameters()
        p.fmax = 20000
        XCTAssertNotNil(CPJKUMel(parameters: p).configurationError)
        XCTAssertThrowsError(try CPJKUMel(parameters: p).makeWorker().extract([TestSignals.noise(32000)]))
        p = CPJKUMelParameters(); p.winLength = 5000
        XCTAssertNotNil(CPJKUMel(parameters: p).configurationError)
        // Kaldi's `high_freq <= 0` is an offset from Nyquist.
        p = CPJKUMelParameters(); p.fmax = -500
        XCTAssertEqual(CPJKUMel(parameters: p).filterbank?.highFreq, 15500)
        // torch.stft cannot reflect-pad 2048 samples into a signal of 2048 or fewer.
        XCTAssertThrowsError(try CPJKUMel().makeWorker().extract([TestSignals.noise(2049)]))
        XCTAssertEqual(try CPJKUMel().makeWorker().extract([TestSignals.noise(2050)]).shape, [1, 5, 256])
    }

    func testTiming() throws {
        let ms1 = try FeatureTiming.measure(CPJKUMel(), clip: [TestSignals.noise(32000)], repeats: 5)
        let ms10 = try FeatureTiming.measure(CPJKUMel(), clip: [TestSignals.noise(320_000)], repeats: 3)
        print(String(format: "timing: cpjku_mel 256 @32k: %.2f ms per 1-s clip, %.2f ms per 10-s clip", ms1, ms10))
    }
}
