import TestSupport
import XCTest
@testable import Features
import DSP
#if canImport(Glibc)
import Glibc
#endif

/// Prints ms per 10-s clip for the representations of this branch (not asserted; build with
/// `-c release` for meaningful numbers: `swift test -c release --filter FeatureTimingTests`).
final class FeatureTimingTests: XCTestCase {
    func testPrintTimings() throws {
        let repeats = 5
        let mono44 = [TestSignals.noise(441_000)]
        let mono16 = [TestSignals.noise(160_000)]
        let foa = TestSignals.foaMix(240_000, sr: 24000)
        var gammaScipy = GammatoneParameters()
        gammaScipy.framing = .scipy
        var tgramProjection = TgramParameters()
        tgramProjection.sr = 16000
        let projection = NPYArray(shape: [128, 1024], values: TestSignals.noise(128 * 1024, seed: 5))
        let cases: [(String, any FeatureExtractor, [[Float]])] = [
            ("gammatone 64 (librosa framing, 40/20 ms) 10 s @44.1k", Gammatone(parameters: GammatoneParameters()), mono44),
            ("gammatone 64 (scipy framing, SPSMR) 10 s @44.1k", Gammatone(parameters: gammaScipy), mono44),
            ("foa 7x128 10 s @24k", FOAFeatures(parameters: FOAParameters()), foa),
            ("tgram frames 10 s @16k", Tgram(parameters: TgramParameters()), mono16),
            ("tgram + 128x1024 projection 10 s @16k", Tgram(parameters: tgramProjection, projection: projection), mono16),
            ("esgram 10 s @16k", ESgram(parameters: ESgramParameters()), mono16),
        ]
        for (label, extractor, clip) in cases {
            let ms = try FeatureTiming.measure(extractor, clip: clip, repeats: repeats)
            let cpu = try threadCPUTime(extractor, clip: clip, repeats: repeats)
            print(String(format: "timing: %@: %.2f ms/clip wall, %.2f ms/clip thread CPU (best of %d)", label, ms, cpu, repeats))
        }
    }

    /// The SPS set (pipelines/sps-dcase2020.yaml) on a 10-s 44.1 kHz clip: each representation
    /// alone, their sum, and the `FeatureSet` computing them together.
    func testPrintSPSTimings() throws {
        let repeats = 7
        let clip = [TestSignals.noise(441_000)]
        let specs = try JSONDecoder().decode([FeatureSpec].self, from: Data(FeatureSetTests.sps.utf8))
        var sum = 0.0
        for spec in specs {
            let cpu = try threadCPUTime(spec.makeExtractor(), clip: clip, repeats: repeats)
            sum += cpu
            print(String(format: "timing: SPS %@ alone: %.2f ms/clip thread CPU (best of %d)", spec.name, cpu, repeats))
        }
        print(String(format: "timing: SPS four alone, sum: %.2f ms/clip", sum))
        BLAS.useSingleThread()
        let worker = FeatureSet(specs).makeWorker()
        _ = try worker.extract([44100: clip])
        var best = Double.infinity
        for _ in 0..<repeats {
            var a = timespec(), b = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
            _ = try worker.extract([44100: clip])
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
            best = min(best, Double(b.tv_sec - a.tv_sec) * 1e3 + Double(b.tv_nsec - a.tv_nsec) / 1e6)
        }
        print(String(format: "timing: SPS FeatureSet (4 representations, shared): %.2f ms/clip thread CPU (best of %d)", best, repeats))
    }

    /// The best thread-CPU time of `repeats` runs: steadier than wall time on a shared machine.
    func threadCPUTime(_ extractor: any FeatureExtractor, clip: [[Float]], repeats: Int) throws -> Double {
        BLAS.useSingleThread()
        let worker = extractor.makeWorker()
        _ = try worker.extract(clip)
        var best = Double.infinity
        for _ in 0..<repeats {
            var a = timespec(), b = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
            _ = try worker.extract(clip)
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
            best = min(best, Double(b.tv_sec - a.tv_sec) * 1e3 + Double(b.tv_nsec - a.tv_nsec) / 1e6)
        }
        return best
    }
}
