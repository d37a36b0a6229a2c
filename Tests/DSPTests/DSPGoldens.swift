import Foundation
import XCTest

/// Goldens/dsp.json, written by Goldens/make_dsp_goldens.py from librosa 0.11 / numpy / scipy.
///
/// Decoded once per process: every golden test reads the same file, and parsing it is the slowest
/// part of the suite.
struct DSPGoldens: Decodable {
    struct Window: Decodable {
        let n: Int
        let hann: [Double]
        let hamming: [Double]?
        let hannSymmetric: [Double]?
        enum CodingKeys: String, CodingKey { case n, hann, hamming, hannSymmetric = "hann_symmetric" }
    }

    struct PadCenter: Decodable {
        let winLength: Int
        let size: Int
        let values: [Double]
        enum CodingKeys: String, CodingKey { case winLength = "win_length", size, values }
    }

    struct ReflectPad: Decodable {
        let signal: String
        let n: Int
        let pad: Int
        let values: [Float]
    }

    struct MelScaleValues: Decodable {
        let hz: [Double]
        let mels: [Double]
        let hzToMelSlaney: [Double]
        let hzToMelHTK: [Double]
        let melToHzSlaney: [Double]
        let melToHzHTK: [Double]
        enum CodingKeys: String, CodingKey {
            case hz, mels
            case hzToMelSlaney = "hz_to_mel_slaney", hzToMelHTK = "hz_to_mel_htk"
            case melToHzSlaney = "mel_to_hz_slaney", melToHzHTK = "mel_to_hz_htk"
        }
    }

    struct MelFrequencies: Decodable {
        let nMels: Int
        let fmin: Double
        let fmax: Double
        let htk: Bool
        let values: [Double]
        enum CodingKeys: String, CodingKey { case nMels = "n_mels", fmin, fmax, htk, values }
    }

    struct MelFilters: Decodable {
        struct Row: Decodable {
            let start: Int
            let values: [Float]
        }
        let id: String
        let sr: Double
        let nFFT: Int
        let nMels: Int
        let fmin: Double
        let fmax: Double?
        let htk: Bool
        let norm: String?
        let shape: [Int]
        let rows: [Row]
        enum CodingKeys: String, CodingKey {
            case id, sr, nFFT = "n_fft", nMels = "n_mels", fmin, fmax, htk, norm, shape, rows
        }

        /// The dense `[nMels, bins]` reference: each row's run, zeros elsewhere.
        var dense: [Float] {
            let bins = shape[1]
            var w = [Float](repeating: 0, count: shape[0] * bins)
            for (i, row) in rows.enumerated() {
                for (j, v) in row.values.enumerated() { w[i * bins + row.start + j] = v }
            }
            return w
        }
    }

    struct STFTCase: Decodable {
        let id: String
        let signal: String
        let sr: Int
        let n: Int
        let nFFT: Int
        let hopLength: Int
        let winLength: Int?
        let center: Bool
        let padMode: String
        /// `[T, F]`, time-major.
        let shape: [Int]
        /// `np.abs(librosa.stft(y, ...))**2`, transposed to `[T, F]` and flattened.
        let power: [Float]
        /// The same with the whole signal reflect-padded first; only where that differs from librosa.
        let powerWholePad: [Float]?
        enum CodingKeys: String, CodingKey {
            case id, signal, sr, n, nFFT = "n_fft", hopLength = "hop_length", winLength = "win_length", center
            case padMode = "pad_mode", shape, power, powerWholePad = "power_whole_pad"
        }
    }

    struct PowerToDBValues: Decodable {
        struct Case: Decodable {
            let id: String
            /// A number, or the string "max" for `ref=np.max`.
            let ref: JSONRef
            let amin: Double
            let topDB: Double?
            let values: [Float]
            enum CodingKeys: String, CodingKey { case id, ref, amin, topDB = "top_db", values }
        }
        let input: [Float]
        let cases: [Case]
    }

    enum JSONRef: Decodable {
        case value(Double), max
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Double.self) { self = .value(v) } else {
                let s = try c.decode(String.self)
                guard s == "max" else { throw DecodingError.dataCorruptedError(in: c, debugDescription: s) }
                self = .max
            }
        }
    }

    let reference: [String: String]
    let windows: [Window]
    let padCenter: [PadCenter]
    let reflectPad: [ReflectPad]
    let melScale: MelScaleValues
    let melFrequencies: [MelFrequencies]
    let melFilters: [MelFilters]
    /// Which frames of `librosa.stft(pad_mode='reflect')` differ from whole-signal padding, over a sweep.
    struct TailRule: Decodable {
        let nFFT: [Int]
        let hopLength: [Int]
        let n: [Int]
        /// `[n_fft, hop, n, frame]` of every frame that differs.
        let differing: [[Int]]
        enum CodingKeys: String, CodingKey { case nFFT = "n_fft", hopLength = "hop_length", n, differing }
    }

    let stft: [STFTCase]
    let stftTailRule: TailRule
    let powerToDB: PowerToDBValues

    enum CodingKeys: String, CodingKey {
        case reference, windows, padCenter = "pad_center", reflectPad = "reflect_pad", melScale = "mel_scale"
        case melFrequencies = "mel_frequencies", melFilters = "mel_filters", stft, powerToDB = "power_to_db"
        case stftTailRule = "stft_tail_rule"
    }

    nonisolated(unsafe) private static var cached: DSPGoldens?
    private static let lock = NSLock()

    static func load() throws -> DSPGoldens {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let url = try XCTUnwrap(Bundle.module.url(forResource: "dsp", withExtension: "json", subdirectory: "Goldens"),
                                "Goldens/dsp.json missing from the test bundle")
        let goldens = try JSONDecoder().decode(DSPGoldens.self, from: Data(contentsOf: url))
        XCTAssertEqual(goldens.reference["librosa"], "0.11.0", "goldens were made with another librosa")
        cached = goldens
        return goldens
    }
}

/// Distance in units in the last place between two finite floats of any sign (0 when equal,
/// including +0 and -0). Counts representable floats between them, so it is scale-free.
func ulpDistance(_ a: Float, _ b: Float) -> Int {
    func ordered(_ x: Float) -> Int64 {
        let bits = Int64(x.bitPattern)
        return x.sign == .minus ? -(bits & 0x7fff_ffff) : bits
    }
    return Int(abs(ordered(a) - ordered(b)))
}
