import Foundation

/// The deterministic test signals of Goldens/signals.py, sample for sample.
enum TestSignals {
    static func noise(_ n: Int, seed: UInt64 = 1) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(state >> 40) / Double(1 << 24) - 0.5)
        }
    }

    static func tone(_ n: Int, sr: Int) -> [Float] {
        (0..<n).map { i in
            let t = Double(i) / Double(sr)
            return Float(0.3 * sin(2 * Double.pi * 440.0 * t) + 0.2 * sin(2 * Double.pi * 3000.0 * t))
        }
    }

    static func chirp(_ n: Int, sr: Int, f0: Double = 100, f1: Double? = nil) -> [Float] {
        let f1 = f1 ?? Double(sr) * 0.45
        let duration = Double(n) / Double(sr)
        return (0..<n).map { i in
            let t = Double(i) / Double(sr)
            return Float(0.4 * sin(2 * Double.pi * (f0 * t + (f1 - f0) / (2 * duration) * t * t)))
        }
    }

    static func make(_ name: String, n: Int, sr: Int) -> [Float] {
        switch name {
        case "noise": return noise(n)
        case "tone": return tone(n, sr: sr)
        case "chirp": return chirp(n, sr: sr)
        case "silence": return [Float](repeating: 0, count: n)
        default: fatalError("unknown test signal \(name)")
        }
    }
}

// MARK: - Multichannel signals (appended; Goldens/signals.py `make_multi` mirrors them)

extension TestSignals {
    /// First-order Ambisonics, ACN/SN3D as DCASE ships it: (W, Y, Z, X) = s·(1, sinφcosθ, sinθ, cosφcosθ).
    static func foaGains(azimuth: Double, elevation: Double) -> [Double] {
        let phi = azimuth * Double.pi / 180, theta = elevation * Double.pi / 180
        return [1, sin(phi) * cos(theta), sin(theta), cos(phi) * cos(theta)]
    }

    /// Two sources and weak diffuse noise in FOA, as `signals.foa_mix`.
    static func foaMix(_ n: Int, sr: Int) -> [[Float]] {
        let s1 = noise(n, seed: 7).map { 0.5 * Double($0) }
        let s2 = chirp(n, sr: sr).map { Double($0) }
        let a = foaGains(azimuth: 30, elevation: 10), b = foaGains(azimuth: -120, elevation: -20)
        return (0..<4).map { c in
            let d = noise(n, seed: UInt64(11 + c))
            return (0..<n).map { i in Float(s1[i] * a[c] + s2[i] * b[c] + 0.05 * Double(d[i])) }
        }
    }

    static func makeMulti(_ name: String, n: Int, sr: Int) -> [[Float]] {
        switch name {
        case "foa_mix": return foaMix(n, sr: sr)
        default: fatalError("unknown multichannel test signal \(name)")
        }
    }
}

/// A golden file written by one of the Goldens/make_*_goldens.py scripts.
struct GoldenFile: Decodable {
    struct Case: Decodable {
        let id: String
        let signal: String
        let sr: Int
        let n: Int
        let params: [String: JSONScalar]
        /// Shape of the full reference output, time-major `[T, F]` (or `[C, T, F]`).
        let shape: [Int]
        /// Frame indices stored in `frames` (crops keep goldens small).
        let frameIndices: [Int]
        /// `frames[i]` = the reference values of frame `frameIndices[i]` (all bins; all channels flattened).
        let frames: [[Double]]
        let max: Double
        let mean: Double

        enum CodingKeys: String, CodingKey {
            case id, signal, sr, n, params, shape, frames, max, mean
            case frameIndices = "frame_indices"
        }
    }

    let reference: [String: String]
    let cases: [Case]

    static func load(_ name: String) throws -> GoldenFile {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Goldens") else {
            throw NSError(domain: "Goldens", code: 1, userInfo: [NSLocalizedDescriptionKey: "missing golden \(name).json"])
        }
        return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
    }
}

/// A parameter value in a golden file.
enum JSONScalar: Decodable, Equatable {
    case int(Int), double(Double), string(String), bool(Bool), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    var int: Int? { if case .int(let v) = self { return v }; return nil }
    var double: Double? {
        switch self { case .int(let v): return Double(v); case .double(let v): return v; default: return nil }
    }
    var string: String? { if case .string(let v) = self { return v }; return nil }
    var bool: Bool? { if case .bool(let v) = self { return v }; return nil }
}
