import ConfigCoding
import DSP
import XCTest
@testable import Features

/// One strict decoding for every kind: defaults from `init()`, each key into its property, `null`
/// as librosa's `None` where a parameter has one, any other key refused with the nearest known key.
final class StrictDecodingTests: XCTestCase {
    func decode(_ json: String) throws -> FeatureSpec {
        try JSONDecoder().decode(FeatureSpec.self, from: Data(json.utf8))
    }

    func unknownKey(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> UnknownConfigKey? {
        do {
            _ = try decode(json)
            XCTFail("decoded \(json)", file: file, line: line)
        } catch let error as UnknownConfigKey {
            return error
        } catch {
            if case .dataCorrupted(let ctx) = error as? DecodingError, let key = ctx.underlyingError as? UnknownConfigKey { return key }
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    /// What each kind writes into a manifest decodes strictly to the same spec: every key written
    /// is a key read, for every variant whose encoding differs.
    func testEveryKindsEncodingDecodesBackStrictly() throws {
        let specs = [
            #"{"name": "a", "kind": "logmel"}"#, #"{"name": "a", "kind": "mfcc", "delta_order": 2}"#,
            #"{"name": "a", "kind": "cqt"}"#, #"{"name": "a", "kind": "cqt", "variant": "nnaudio1992v2", "output": "db"}"#,
            #"{"name": "a", "kind": "gammatone"}"#, #"{"name": "a", "kind": "gammatone", "method": "iir", "log": "power_to_db"}"#,
            #"{"name": "a", "kind": "foa"}"#, #"{"name": "a", "kind": "tgram"}"#, #"{"name": "a", "kind": "esgram"}"#,
            #"{"name": "a", "kind": "cpjku_mel"}"#, #"{"name": "a", "kind": "cpjku_mel", "hopsize": 320}"#,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for json in specs {
            let spec = try decode(json)
            let once = try JSONDecoder().decode(FeatureSpec.self, from: encoder.encode(spec))
            XCTAssertEqual(try encoder.encode(spec), try encoder.encode(once), json)
        }
    }

    func testNullIsLibrosasNoneOnlyWhereAParameterHasOne() throws {
        let p = try XCTUnwrap(try decode(#"{"name": "a", "kind": "logmel", "fmax": null, "norm": null, "db": {"top_db": null}}"#)
            .parameters as? LogMelParameters)
        XCTAssertNil(p.fmax)
        XCTAssertEqual(p.norm, MelNorm.none)
        XCTAssertNil(p.db.topDB)
        let defaults = try XCTUnwrap(try decode(#"{"name": "a", "kind": "logmel"}"#).parameters as? LogMelParameters)
        XCTAssertEqual(defaults.norm, .slaney)
        XCTAssertEqual(defaults.db.topDB, 80)
        XCTAssertEqual(defaults.precision, .float64)  // what every config recorded before the key meant
        let single = try XCTUnwrap(try decode(#"{"name": "a", "kind": "logmel", "precision": "float32"}"#).parameters as? LogMelParameters)
        XCTAssertEqual(single.precision, .float32)
        XCTAssertThrowsError(try decode(#"{"name": "a", "kind": "logmel", "precision": "float16"}"#))
        XCTAssertThrowsError(try decode(#"{"name": "a", "kind": "logmel", "n_fft": null}"#))
        XCTAssertThrowsError(try decode(#"{"name": "a", "kind": "logmel", "n_fft": "2048"}"#))
    }

    func testESgramKeepsTheSgramDefaultsForAbsentLogMelKeys() throws {
        let p = try XCTUnwrap(try decode(#"{"name": "e", "kind": "esgram", "n_mels": 64, "alpha": 3}"#).parameters as? ESgramParameters)
        XCTAssertEqual(p.logmel.nMels, 64)
        XCTAssertEqual(p.logmel.nFFT, 1024)
        XCTAssertEqual(p.logmel.melScale, .htk)
        XCTAssertEqual(p.gate.alpha, 3)
    }

    func testUnknownKeysNameTheNearestKeyOfTheWholeEntry() throws {
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "logmel", "n_mel": 64}"#),
                       UnknownConfigKey(key: "n_mel", path: "", suggestion: "n_mels"))
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "mfcc", "delta_ordr": 1}"#)?.suggestion, "delta_order")
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "mfcc", "n_fft": 512, "hop_lenght": 1}"#)?.suggestion, "hop_length")
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "esgram", "mu_vlaue": 1}"#)?.suggestion, "mu_value")
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "esgram", "stack_logmels": true}"#)?.suggestion, "stack_logmel")
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "gammatone", "db_threshold": -50}"#)?.suggestion, "dB_threshold")
        XCTAssertEqual(unknownKey(#"{"name": "a", "kind": "logmel", "knd": "x"}"#)?.suggestion, "kind")
        // Standalone nested objects are strict as well.
        XCTAssertThrowsError(try JSONDecoder().decode(PowerToDB.self, from: Data(#"{"amin": 1e-10, "refs": 1}"#.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(TriStatGate.self, from: Data(#"{"alfa": 1}"#.utf8)))
    }

    func testSuggestionsAreOnlyMadeForNearKeys() {
        let known = ["n_fft", "n_mels", "hop_length", "win_length", "fmin", "fmax", "sr"]
        XCTAssertEqual(ConfigKeySuggestion.nearest(to: "n_mel", among: known), "n_mels")
        XCTAssertEqual(ConfigKeySuggestion.nearest(to: "hop_lenght", among: known), "hop_length")  // a transposition is one edit
        XCTAssertEqual(ConfigKeySuggestion.nearest(to: "N_FFT", among: known), "n_fft")
        XCTAssertEqual(ConfigKeySuggestion.nearest(to: "fmx", among: known), "fmax")
        XCTAssertNil(ConfigKeySuggestion.nearest(to: "normalise", among: known))
        XCTAssertNil(ConfigKeySuggestion.nearest(to: "x", among: known))
        XCTAssertNil(ConfigKeySuggestion.nearest(to: "window_size", among: known))
    }

    func testProblemsNameTheirKeyRelativeToTheEntry() throws {
        let spec = try decode(#"{"name": "a", "kind": "logmel", "n_fft": 512, "win_length": 1024, "db": {"amin": 0}}"#)
        XCTAssertEqual(spec.problems.map(\.description),
                       ["win_length = 1024 exceeds n_fft = 512", "db.amin = 0.0 must be positive"])
        XCTAssertEqual(spec.problems.first?.nested(in: "features[2]").description, "features[2].win_length = 1024 exceeds n_fft = 512")
        XCTAssertThrowsError(try spec.validate())
        // Every kind's defaults are valid at the rate a pipeline sets, and the shipped shapes warn of nothing.
        for kind in FeatureSpec.kindNames {
            var spec = try decode(#"{"name": "a", "kind": "\#(kind)"}"#)
            spec.sampleRate = 44100
            XCTAssertEqual(spec.problems, [], kind)
        }
    }
}
