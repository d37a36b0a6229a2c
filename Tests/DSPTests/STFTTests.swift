import Dispatch
@testable import DSP
import TestSupport
import XCTest

/// STFT against `np.abs(librosa.stft(y, ...))**2` (features.md §1.2).
///
/// Both sides run a float64 FFT and round to complex64, but FFTW and pocketfft add in different
/// orders, so a component can land one float32 ULP apart; |X|² then differs by a few ULP. A bin far
/// below its frame's peak can differ by more ULP, because the float64 rounding error scales with the
/// frame's energy, not the bin's. Tolerance: at most `maxULP` ULP of the power (about 2 ULP on each
/// complex64 component), or an absolute difference below `relativeFloor` × the frame's peak power.
/// Measured: max 4 ULP, max |diff| 3.1e-7 × frame peak, 68% of values bit-identical. A wrong window,
/// pad or offset moves values by orders of magnitude more (see testWrongConventionsAreCaught).
final class STFTTests: XCTestCase {
    static let maxULP = 8
    static let relativeFloor: Float = 1e-12

    func stft(for c: DSPGoldens.STFTCase) -> STFT {
        STFT(nFFT: c.nFFT, hopLength: c.hopLength, winLength: c.winLength, window: .hann, center: c.center,
             padMode: PadMode(rawValue: c.padMode)!)
    }

    func power(_ s: STFT, _ signal: [Float]) -> [Float] {
        var out = [Float](repeating: .nan, count: s.frameCount(sampleCount: signal.count) * s.binCount)
        signal.withUnsafeBufferPointer { s.magnitude($0, power: 2, buffers: s.makeBuffers(), into: &out) }
        return out
    }

    /// Compares time-major `[T, F]` power; returns (max ULP where over the floor, max |diff|/frame peak).
    func compare(_ actual: [Float], _ expected: [Float], bins: Int, _ label: String,
                 frames: Range<Int>? = nil) -> (ulp: Int, relative: Float) {
        XCTAssertEqual(actual.count, expected.count, label)
        guard actual.count == expected.count else { return (0, 0) }
        var worstULP = 0
        var worstRelative: Float = 0
        for t in frames ?? 0..<(expected.count / bins) {
            let row = expected[(t * bins)..<((t + 1) * bins)]
            let peak = row.max() ?? 0
            for k in 0..<bins {
                let a = actual[t * bins + k], b = expected[t * bins + k]
                let ulp = ulpDistance(a, b)
                let diff = abs(a - b)
                if peak > 0 { worstRelative = max(worstRelative, diff / peak) }
                if diff > Self.relativeFloor * peak { worstULP = max(worstULP, ulp) }
                if ulp > Self.maxULP && diff > Self.relativeFloor * peak {
                    XCTFail("\(label): frame \(t) bin \(k): \(a) vs librosa \(b) (\(ulp) ULP)")
                    return (worstULP, worstRelative)
                }
            }
        }
        return (worstULP, worstRelative)
    }

    func testPowerMatchesLibrosa() throws {
        var worst = (ulp: 0, relative: Float(0))
        var exact = 0, total = 0
        for c in try DSPGoldens.load().stft {
            let s = stft(for: c)
            let signal = TestSignals.make(c.signal, n: c.n, sr: c.sr)
            XCTAssertEqual([s.frameCount(sampleCount: c.n), s.binCount], c.shape, c.id)
            let out = power(s, signal)
            // Every frame, the last one of the tail-slice case included (the default follows librosa 0.11).
            let frames = 0..<c.shape[0]
            let r = compare(out, c.power, bins: c.shape[1], c.id, frames: frames)
            worst = (max(worst.ulp, r.ulp), max(worst.relative, r.relative))
            for i in (frames.lowerBound * c.shape[1])..<(frames.upperBound * c.shape[1]) {
                total += 1
                if out[i].bitPattern == c.power[i].bitPattern { exact += 1 }
            }
        }
        print("STFT power vs librosa: max \(worst.ulp) ULP, max |diff|/frame peak \(worst.relative), "
              + "\(exact)/\(total) values bit-identical")
    }

    /// librosa 0.11 reflect-pads the tail from a slice `y[tail_k*hop - n_fft/2:]`. When hop ≥ n_fft/2
    /// that slice can be shorter than the pad, numpy then reflects it twice, and the last frame's
    /// last sample differs from reflecting the whole signal. The default (`pad_tail: slice`) matches
    /// librosa on every frame (testPowerMatchesLibrosa); `.whole` matches whole-signal padding (torch.stft,
    /// librosa ≤ 0.9) on every frame, and the two differ in the last frame, so the case still tells them apart.
    func testReflectTailWholeOption() throws {
        let c = try XCTUnwrap(try DSPGoldens.load().stft.first { $0.powerWholePad != nil })
        let signal = TestSignals.make(c.signal, n: c.n, sr: c.sr)
        let whole = STFT(nFFT: c.nFFT, hopLength: c.hopLength, winLength: c.winLength, window: .hann, center: c.center,
                         padMode: .reflect, padTail: .whole)
        let reference = try XCTUnwrap(c.powerWholePad)
        _ = compare(power(whole, signal), reference, bins: c.shape[1], "\(c.id) (whole-signal pad)")
        let last = (c.shape[0] - 1) * c.shape[1]
        XCTAssertNotEqual(Array(c.power[last...]), Array(reference[last...]), "librosa no longer differs: drop the quirk")
    }

    /// The tail rule on every (n_fft, hop, n) of the golden's sweep (noise, window 'ones'): the frames
    /// where `pad_tail: slice` differs from `.whole` are exactly those where librosa 0.11 differs
    /// from whole-signal padding, and constant padding never differs.
    func testReflectTailRuleOnSweep() throws {
        let rule = try DSPGoldens.load().stftTailRule
        let expected = Set(rule.differing.map { $0 })
        var found = Set<[Int]>()
        var checked = 0
        for nFFT in rule.nFFT {
            for hop in rule.hopLength {
                for n in rule.n {
                    let signal = TestSignals.noise(n)
                    for mode in [PadMode.reflect, .constant] {
                        let slice = STFT(nFFT: nFFT, hopLength: hop, window: .ones, padMode: mode, padTail: .slice)
                        let whole = STFT(nFFT: nFFT, hopLength: hop, window: .ones, padMode: mode, padTail: .whole)
                        let a = complexFrames(slice, signal), b = complexFrames(whole, signal)
                        XCTAssertEqual(a.count, b.count)
                        for t in 0..<min(a.count, b.count) where a[t] != b[t] {
                            XCTAssertEqual(mode, .reflect, "constant padding differs at n_fft \(nFFT) hop \(hop) n \(n)")
                            found.insert([nFFT, hop, n, t])
                        }
                        checked += 1
                    }
                }
            }
        }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(found.subtracting(expected).sorted { $0.lexicographicallyPrecedes($1) }, [], "differ here, not in librosa")
        XCTAssertEqual(expected.subtracting(found).sorted { $0.lexicographicallyPrecedes($1) }, [], "differ in librosa, not here")
        print("tail rule: \(expected.count) differing frames reproduced over \(checked) STFTs")
    }

    /// Each frame's complex64 spectrum (re and im interleaved).
    func complexFrames(_ s: STFT, _ signal: [Float]) -> [[Float]] {
        let frames = s.frameCount(sampleCount: signal.count), bins = s.binCount
        var re = [Float](repeating: 0, count: frames * bins), im = re
        signal.withUnsafeBufferPointer { s.complex($0, buffers: s.makeBuffers(), real: &re, imaginary: &im) }
        return (0..<frames).map { t in (0..<bins).flatMap { [re[t * bins + $0], im[t * bins + $0]] } }
    }

    /// `sampleOffset` adds to every signal sample in float64 (the SELD baselines' `audio + 1e-8`),
    /// while constant padding stays zero and reflect padding reflects the offset signal.
    func testSampleOffsetIsAddedBeforePadding() {
        let signal = TestSignals.noise(300)
        let offset = 0.25
        for mode in [PadMode.constant, .reflect] {
            let s = STFT(nFFT: 64, hopLength: 16, window: .ones, padMode: mode, sampleOffset: offset)
            let frames = s.frameCount(sampleCount: signal.count)
            var re = [Float](repeating: 0, count: frames * s.binCount), im = re
            signal.withUnsafeBufferPointer { s.complex($0, buffers: s.makeBuffers(), real: &re, imaginary: &im) }
            // DC bin of a rectangular window = the sum of the frame's (offset, padded) samples.
            signal.withUnsafeBufferPointer { y in
                for t in 0..<frames {
                    var sum = 0.0
                    for k in 0..<64 {
                        let i = t * 16 - 32 + k
                        if i >= 0 && i < y.count { sum += Double(y[i]) + offset }
                        else if mode == .reflect { sum += Double(mode.sample(y, at: i)) + offset }
                    }
                    XCTAssertEqual(Double(re[t * s.binCount]), sum, accuracy: 1e-5, "\(mode) frame \(t)")
                }
            }
        }
    }

    func testSilenceIsExactlyZero() {
        let s = STFT(nFFT: 256, hopLength: 64, padMode: .reflect)
        XCTAssertTrue(power(s, [Float](repeating: 0, count: 1000)).allSatisfy { $0 == 0 })
    }

    /// A window, pad mode or frame offset slip must move the values far past the tolerance.
    func testWrongConventionsAreCaught() throws {
        let c = try XCTUnwrap(try DSPGoldens.load().stft.first { $0.id == "chirp_center_reflect" })
        let signal = TestSignals.make(c.signal, n: c.n, sr: c.sr)
        for wrong in [
            STFT(nFFT: c.nFFT, hopLength: c.hopLength, window: .hannSymmetric, padMode: .reflect),
            STFT(nFFT: c.nFFT, hopLength: c.hopLength, window: .hann, padMode: .constant),
        ] {
            let out = power(wrong, signal)
            let worst = zip(out, c.power).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThan(worst, 1e-3 * (c.power.max() ?? 0))
        }
    }

    /// `complex` and `magnitude` see the same transform: |re + i·im|² equals the power output.
    func testComplexAgreesWithMagnitude() {
        let s = STFT(nFFT: 64, hopLength: 16, winLength: 50)
        let signal = TestSignals.chirp(300, sr: 8000)
        let frames = s.frameCount(sampleCount: signal.count)
        var re = [Float](repeating: 0, count: frames * s.binCount), im = re
        signal.withUnsafeBufferPointer { s.complex($0, buffers: s.makeBuffers(), real: &re, imaginary: &im) }
        let p = power(s, signal)
        for i in 0..<p.count {
            let m = hypotf(re[i], im[i])
            XCTAssertEqual(p[i], m * m)
        }
    }

    /// numpy's `np.pad(mode='reflect')`, including signals shorter than the pad, where numpy
    /// reflects again off the far edge (period 2(n-1)).
    func testReflectPaddingMatchesNumpy() throws {
        for c in try DSPGoldens.load().reflectPad {
            let signal = TestSignals.make(c.signal, n: c.n, sr: 16000)
            let s = PadMode.reflect
            let padded = signal.withUnsafeBufferPointer { buffer in
                (-c.pad..<(c.n + c.pad)).map { s.sample(buffer, at: $0) }
            }
            XCTAssertEqual(padded, c.values, "np.pad(noise(\(c.n)), \(c.pad), 'reflect')")
        }
    }

    func testConstantPaddingIsZero() {
        let s = PadMode.constant
        let signal: [Float] = [1, 2, 3]
        signal.withUnsafeBufferPointer { b in
            XCTAssertEqual((-4..<7).map { s.sample(b, at: $0) }, [0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0])
        }
    }

    func testFrameCounts() {
        let centred = STFT(nFFT: 2048, hopLength: 512)
        for n in [0, 1, 511, 512, 513, 22050, 441_000] {
            XCTAssertEqual(centred.frameCount(sampleCount: n), 1 + n / 512, "center, n=\(n)")
        }
        let plain = STFT(nFFT: 2048, hopLength: 512, center: false)
        for n in [2048, 2049, 2559, 2560, 22050] {
            XCTAssertEqual(plain.frameCount(sampleCount: n), 1 + (n - 2048) / 512, "no center, n=\(n)")
        }
        for n in [0, 1, 2047] { XCTAssertEqual(plain.frameCount(sampleCount: n), 0, "too short, n=\(n)") }
        // ASC recipe: 10 s at 44.1 kHz, hop 882 → 501 frames.
        XCTAssertEqual(STFT(nFFT: 2048, hopLength: 882, winLength: 1764).frameCount(sampleCount: 441_000), 501)
        // Defaults: win_length = n_fft, hop = win_length / 4.
        let d = STFT(nFFT: 1024, winLength: 800)
        XCTAssertEqual(d.hopLength, 200)
        XCTAssertEqual(STFT(nFFT: 1024).hopLength, 256)
    }

    /// forEachFrame visits exactly frameCount frames, in order.
    func testForEachFrameVisitsEveryFrame() {
        for center in [true, false] {
            let s = STFT(nFFT: 64, hopLength: 24, center: center)
            for n in [0, 10, 64, 65, 200] {
                var seen: [Int] = []
                [Float](repeating: 0.5, count: n).withUnsafeBufferPointer { b in
                    s.forEachFrame(b, buffers: s.makeBuffers()) { t, _ in seen.append(t) }
                }
                XCTAssertEqual(seen, Array(0..<s.frameCount(sampleCount: n)), "center \(center), n \(n)")
            }
        }
    }
}

/// FFTW plans: one per size, shared by every worker (RealFFTPlan's doc comment says why).
final class FFTPlanCacheTests: XCTestCase {
    func testSamePlanForSameSize() {
        let a = FFTPlanCache.plan(size: 96)
        XCTAssertTrue(a === FFTPlanCache.plan(size: 96))
        XCTAssertFalse(a === FFTPlanCache.plan(size: 98))
        XCTAssertEqual(a.size, 96)
        XCTAssertTrue(STFT(nFFT: 96).plan === a)
    }

    /// The DFT of an impulse at sample 1 is exp(-2πik/N): checks the plan is forward and unscaled.
    func testPlanComputesForwardUnscaledDFT() {
        let n = 10
        let plan = FFTPlanCache.plan(size: n)
        let buffers = FFTBuffers(size: n)
        for i in 0..<n { buffers.input[i] = i == 1 ? 1 : 0 }
        plan.execute(buffers)
        for k in 0...(n / 2) {
            let (re, im) = buffers.bin(k)
            XCTAssertEqual(re, cos(2 * Double.pi * Double(k) / Double(n)), accuracy: 1e-15)
            XCTAssertEqual(im, -sin(2 * Double.pi * Double(k) / Double(n)), accuracy: 1e-15)
        }
    }

    /// Many threads asking for new sizes at once get one plan per size, and their transforms are
    /// bit-identical to a single-threaded run (plan execution on private buffers is thread-safe).
    func testConcurrentUse() {
        let sizes = [250, 252, 254, 256 + 250]  // sizes no other test asks for, so the cache starts cold
        let signal = TestSignals.noise(4000, seed: 7)
        let jobs = 16
        nonisolated(unsafe) var plans = [RealFFTPlan?](repeating: nil, count: jobs)
        nonisolated(unsafe) var results = [[Float]](repeating: [], count: jobs)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs) { j in
            let size = sizes[j % sizes.count]
            let plan = FFTPlanCache.plan(size: size)
            let s = STFT(nFFT: size, hopLength: 100)
            var out = [Float](repeating: 0, count: s.frameCount(sampleCount: signal.count) * s.binCount)
            signal.withUnsafeBufferPointer { s.magnitude($0, power: 2, buffers: s.makeBuffers(), into: &out) }
            lock.lock()
            plans[j] = plan
            results[j] = out
            lock.unlock()
        }
        for j in 0..<jobs {
            let size = sizes[j % sizes.count]
            XCTAssertTrue(plans[j] === FFTPlanCache.plan(size: size), "job \(j): a second plan for size \(size)")
            let s = STFT(nFFT: size, hopLength: 100)
            var single = [Float](repeating: 0, count: results[j].count)
            signal.withUnsafeBufferPointer { s.magnitude($0, power: 2, buffers: s.makeBuffers(), into: &single) }
            XCTAssertEqual(results[j].map(\.bitPattern), single.map(\.bitPattern), "job \(j)")
        }
    }
}
