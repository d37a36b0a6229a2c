import XCTest
@testable import Features

/// Prints ms per 10-s clip for the representations of this branch (not asserted; build with
/// `-c release` for meaningful numbers: `swift test -c release --filter FeatureTimingTests`).
final class FeatureTimingTests: XCTestCase {
    func testPrintTimings() throws {
        let repeats = 3
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
            print(String(format: "timing: %@: %.2f ms/clip", label, ms))
        }
    }
}
