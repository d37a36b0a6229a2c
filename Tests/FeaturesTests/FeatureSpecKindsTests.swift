import DSP
import XCTest
@testable import Features

/// The `mfcc` and `cqt` kinds in pipeline specs: librosa's names and defaults, every parameter
/// written back.
final class FeatureSpecKindsTests: XCTestCase {
    func decode(_ json: String) throws -> FeatureSpec {
        try JSONDecoder().decode(FeatureSpec.self, from: Data(json.utf8))
    }

    func testMFCCFlattenedKeys() throws {
        let spec = try decode(#"{"name": "mfcc40", "kind": "mfcc", "n_mfcc": 40, "n_mels": 40, "hop_length": 512, "mel_norm": null, "norm": "ortho", "delta_order": 2}"#)
        let p = try XCTUnwrap(spec.parameters as? MFCCParameters)
        XCTAssertEqual(p.nMFCC, 40)
        XCTAssertEqual(p.mel.nMels, 40)
        XCTAssertEqual(p.mel.norm, MelNorm.none)
        XCTAssertEqual(p.norm, .ortho)
        XCTAssertEqual(p.deltaOrder, 2)
        XCTAssertEqual(p.mel.nFFT, 2048)
        XCTAssertEqual(p.mel.db.topDB, 80)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as! [String: Any]
        XCTAssertEqual(encoded["mel_norm"] as? String, "none")
        XCTAssertEqual(encoded["norm"] as? String, "ortho")
        XCTAssertEqual(encoded["n_fft"] as? Int, 2048)
        // Encoding resolves defaults (win_length, fmax), so the round trip is stable from there on.
        let once = try decode(String(decoding: JSONEncoder().encode(spec), as: UTF8.self))
        XCTAssertEqual(try decode(String(decoding: JSONEncoder().encode(once), as: UTF8.self)), once)
        let back = try XCTUnwrap(once.parameters as? MFCCParameters)
        XCTAssertEqual(back.mel.norm, MelNorm.none)
        XCTAssertEqual(back.nMFCC, 40)
    }

    func testMFCCDefaultsAreLibrosas() throws {
        let spec = try decode(#"{"name": "m", "kind": "mfcc"}"#)
        let p = try XCTUnwrap(spec.parameters as? MFCCParameters)
        XCTAssertEqual(p.nMFCC, 20)
        XCTAssertEqual(p.mel.nMels, 128)
        XCTAssertEqual(p.mel.norm, .slaney)
        XCTAssertEqual(p.lifter, 0)
        // Decoding takes any value; validation (which `PipelineConfig.load` runs) refuses it by key.
        XCTAssertThrowsError(try decode(#"{"name": "m", "kind": "mfcc", "dct_type": 3}"#).validate()) {
            XCTAssertTrue("\($0)".contains("dct_type = 3"), "\($0)")
        }
    }

    func testCQTKindAndVariantDefaults() throws {
        var spec = try decode(#"{"name": "cqt", "kind": "cqt"}"#)
        spec.sampleRate = 44100
        XCTAssertEqual(spec.sampleRate, 44100)
        let p = try XCTUnwrap(spec.parameters as? CQTParameters)
        XCTAssertEqual(p.effectiveFmin, 32.70319566257483, accuracy: 1e-12)
        XCTAssertEqual(p.effectivePadMode, .constant)
        XCTAssertEqual(p.nBins, 84)
        XCTAssertEqual(p.hopLength, 512)
        XCTAssertNoThrow(try spec.validate())
        let nn = try decode(#"{"name": "c", "kind": "cqt", "variant": "nnaudio1992v2", "fmin": 220, "n_bins": 64, "output": "db", "ref": "max"}"#)
        let q = try XCTUnwrap(nn.parameters as? CQTParameters)
        XCTAssertEqual(q.effectivePadMode, .reflect)
        XCTAssertEqual(q.ref, .max)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(nn)) as! [String: Any]
        XCTAssertEqual(encoded["pad_mode"] as? String, "reflect")
        XCTAssertEqual(encoded["top_db"] as? Double, 80)
        XCTAssertThrowsError(try decode(#"{"name": "c", "kind": "cqt", "res_type": "kaiser_best"}"#).validate()) {
            XCTAssertTrue("\($0)".contains("res_type = kaiser_best"), "\($0)")
        }
        XCTAssertEqual(FeatureSpec.kindNames, ["logmel", "mfcc", "cqt", "gammatone", "foa", "tgram", "esgram", "cpjku_mel"])
    }

    /// `pad_tail` and the FOA's `sample_eps` are read from a spec and written to the manifest with
    /// their defaults: librosa 0.11's tail slice for librosa-framed kinds, the whole signal for the
    /// torchaudio Sgram the ESgram gates, the baselines' 1e-8 for FOA.
    func testPadTailAndSampleEpsAreRecorded() throws {
        func encoded(_ spec: FeatureSpec) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as! [String: Any]
        }
        let logmel = try decode(#"{"name": "l", "kind": "logmel", "pad_mode": "reflect"}"#)
        XCTAssertEqual((logmel.parameters as? LogMelParameters)?.padTail, .slice)
        XCTAssertEqual(try encoded(logmel)["pad_tail"] as? String, "slice")
        let whole = try decode(#"{"name": "l", "kind": "logmel", "pad_mode": "reflect", "pad_tail": "whole"}"#)
        XCTAssertEqual((whole.parameters as? LogMelParameters)?.padTail, .whole)
        XCTAssertEqual(try encoded(whole)["pad_tail"] as? String, "whole")
        XCTAssertThrowsError(try decode(#"{"name": "l", "kind": "logmel", "pad_tail": "torch"}"#))
        let mfcc = try decode(#"{"name": "m", "kind": "mfcc", "pad_tail": "whole"}"#)
        XCTAssertEqual((mfcc.parameters as? MFCCParameters)?.mel.padTail, .whole)
        XCTAssertEqual(try encoded(mfcc)["pad_tail"] as? String, "whole")
        let esgram = try decode(#"{"name": "e", "kind": "esgram"}"#)
        XCTAssertEqual((esgram.parameters as? ESgramParameters)?.logmel.padTail, .whole)
        XCTAssertEqual(try encoded(esgram)["pad_tail"] as? String, "whole")
        let cqt = try decode(#"{"name": "c", "kind": "cqt", "pad_mode": "reflect", "pad_tail": "whole"}"#)
        XCTAssertEqual((cqt.parameters as? CQTParameters)?.padTail, .whole)
        XCTAssertEqual(try encoded(cqt)["pad_tail"] as? String, "whole")
        let nn = try decode(#"{"name": "c", "kind": "cqt", "variant": "nnaudio1992v2"}"#)
        XCTAssertNil(try encoded(nn)["pad_tail"], "nnAudio always pads the whole signal: not a parameter of it")
        let foa = try decode(#"{"name": "f", "kind": "foa"}"#)
        XCTAssertEqual((foa.parameters as? FOAParameters)?.sampleEps, 1e-8)
        XCTAssertEqual(try encoded(foa)["sample_eps"] as? Double, 1e-8)
        XCTAssertEqual(try encoded(foa)["pad_tail"] as? String, "slice")
        let clean = try decode(#"{"name": "f", "kind": "foa", "sample_eps": 0}"#)
        XCTAssertEqual((clean.parameters as? FOAParameters)?.sampleEps, 0)
        let gamma = try decode(#"{"name": "g", "kind": "gammatone", "pad_tail": "whole"}"#)
        XCTAssertEqual((gamma.parameters as? GammatoneParameters)?.padTail, .whole)
    }

    /// The CP-JKU front end is torch.stft's: the whole signal is padded whatever the hop.
    func testCPJKUPadsTheWholeSignal() {
        XCTAssertEqual(CPJKUMel(parameters: CPJKUMelParameters()).stft.padTail, .whole)
    }
}
