import AudioIO
import Foundation
import TestSupport
import XCTest

/// Resampling against librosa 0.11's `resample` (python-soxr 1.1.0, python-samplerate 0.2.4):
/// Goldens/resample.json, made by Goldens/make_resample_goldens.py.
final class ResampleGoldenTests: XCTestCase {
    struct Golden: Decodable {
        struct Slice: Decodable { let start: Int; let values: [Double] }
        struct Case: Decodable {
            let signal: String, orig_sr: Int, target_sr: Int, res_type: String, n: Int, length: Int
            let sum_squares: Double
            let slices: [Slice]
        }
        let reference: [String: String]
        let cases: [Case]
    }

    func load() throws -> Golden {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "resample", withExtension: "json", subdirectory: "Goldens"))
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    /// soxr HQ and VHQ in float32 are bit-exact with python-soxr (features.md §1.8); libsamplerate
    /// matches python-samplerate to float32 rounding (same library, same `src_simple` call).
    func testMatchesLibrosaResample() throws {
        let golden = try load()
        for c in golden.cases {
            let spec = try ResamplerSpec(resType: c.res_type)
            let input = TestSignals.make(c.signal, n: c.n, sr: c.orig_sr)
            let out = try spec.makeResampler().resample(input, from: c.orig_sr, to: c.target_sr)
            let label = "\(c.signal) \(c.orig_sr)->\(c.target_sr) \(c.res_type)"
            XCTAssertEqual(out.count, c.length, label)
            let exact = spec.backend == .soxr
            for slice in c.slices {
                for (i, expected) in slice.values.enumerated() {
                    let value = Double(out[slice.start + i])
                    if exact {
                        XCTAssertEqual(value, expected, "\(label) sample \(slice.start + i)")
                    } else {
                        XCTAssertEqual(value, expected, accuracy: 1e-6, "\(label) sample \(slice.start + i)")
                    }
                }
            }
            let energy = out.reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertEqual(energy, c.sum_squares, accuracy: c.sum_squares * 1e-6 + 1e-9, label)
        }
    }

    func testLibrosaOutputLengthRule() {
        XCTAssertEqual(ResampleLength.outputLength(inputLength: 441_000, from: 44_100, to: 48_000), 480_001)
        XCTAssertEqual(ResampleLength.outputLength(inputLength: 480_000, from: 48_000, to: 44_100), 441_000)
    }

    func testEqualRatesReturnTheInput() throws {
        let x = TestSignals.noise(1000)
        XCTAssertEqual(try SoxrResampler().resample(x, from: 16000, to: 16000), x)
    }

    func testResTypeNamesRoundTrip() throws {
        for name in ["soxr_hq", "soxr_vhq", "soxr_mq", "soxr_lq", "sinc_best", "sinc_medium", "sinc_fastest"] {
            XCTAssertEqual(try ResamplerSpec(resType: name).resType, name)
        }
        XCTAssertThrowsError(try ResamplerSpec(resType: "kaiser_best")) { error in
            XCTAssertTrue(String(describing: error).contains("unknown res_type"))
        }
    }
}
