import Foundation

/// A golden file written by one of the Goldens/make_*_goldens.py scripts.
public struct GoldenFile: Decodable {
    public struct Case: Decodable {
        public let id: String
        public let signal: String
        public let sr: Int
        public let n: Int
        public let params: [String: JSONScalar]
        /// Shape of the full reference output, time-major `[T, F]` (or `[C, T, F]`).
        public let shape: [Int]
        /// Frame indices stored in `frames` (crops keep goldens small).
        public let frameIndices: [Int]
        /// `frames[i]` = the reference values of frame `frameIndices[i]` (all bins; all channels flattened).
        public let frames: [[Double]]
        public let max: Double
        public let mean: Double

        enum CodingKeys: String, CodingKey {
            case id, signal, sr, n, params, shape, frames, max, mean
            case frameIndices = "frame_indices"
        }
    }

    public let reference: [String: String]
    public let cases: [Case]

    /// Loads `Goldens/<name>.json` from a test target's resource bundle.
    public static func load(_ name: String, from bundle: Bundle) throws -> GoldenFile {
        guard let url = bundle.url(forResource: name, withExtension: "json", subdirectory: "Goldens") else {
            throw NSError(domain: "Goldens", code: 1, userInfo: [NSLocalizedDescriptionKey: "missing golden \(name).json"])
        }
        return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
    }
}

/// A parameter value in a golden file.
public enum JSONScalar: Decodable, Equatable {
    case int(Int), double(Double), string(String), bool(Bool), null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    public var int: Int? { if case .int(let v) = self { return v }; return nil }
    public var double: Double? {
        switch self { case .int(let v): return Double(v); case .double(let v): return v; default: return nil }
    }
    public var string: String? { if case .string(let v) = self { return v }; return nil }
    public var bool: Bool? { if case .bool(let v) = self { return v }; return nil }
}
