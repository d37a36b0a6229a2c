import ConfigCoding
import Foundation

/// `librosa.power_to_db` (features.md §1.5): `10 log10(max(amin, S)) - 10 log10(max(amin, ref))`,
/// then, unless `topDB` is nil, a floor at `max - topDB` where the maximum is over everything passed
/// in one call. Float32 arithmetic as numpy does for float32 input, except the subtraction of a fixed
/// reference, which numpy does in float64 (see `apply`).
public struct PowerToDB: Codable, Equatable, Sendable {
    /// The reference power: a fixed value, or the maximum of the input (`ref=np.max`).
    public enum Reference: Codable, Equatable, Sendable {
        case value(Double)
        case max

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Double.self) { self = .value(v); return }
            let word = try c.decode(String.self)
            guard word == "max" else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "ref must be a number or 'max', not '\(word)'")
            }
            self = .max
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .value(let v): try c.encode(v)
            case .max: try c.encode("max")
            }
        }
    }

    public var ref: Reference
    public var amin: Double
    public var topDB: Double?

    public init(ref: Reference = .value(1.0), amin: Double = 1e-10, topDB: Double? = 80.0) {
        self.ref = ref
        self.amin = amin
        self.topDB = topDB
    }

    enum CodingKeys: String, CodingKey { case ref, amin, topDB = "top_db" }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: PowerToDB())
        try f.decode("ref", \.ref)
        try f.decode("amin", \.amin)
        // An explicit `top_db: null` turns the floor off; an absent key keeps librosa's 80.
        try f.decode("top_db", \.topDB)
        self = try f.finish()
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ref, forKey: .ref)
        try c.encode(amin, forKey: .amin)
        if let topDB { try c.encode(topDB, forKey: .topDB) } else { try c.encodeNil(forKey: .topDB) }
    }

    /// Converts `values` in place.
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        guard !values.isEmpty else { return }
        let amin = Float(self.amin)
        // numpy's dtype rules decide the last bit. `log_spec -= 10*log10(max(amin, ref_value))`:
        // - ref=np.max: ref_value is an np.float32 scalar, so the offset and the subtraction are float32;
        // - a number: np.abs(ref) is an np.float64 scalar, which NEP 50 does not treat as weak, so the
        //   offset is float64 and the float32 array is subtracted in float64, then rounded back.
        // (amin is a Python float, weak: float32 where it meets float32.)
        var peak = -Float.infinity
        switch ref {
        case .max:
            let offset = 10 * log10f(Swift.max(amin, values.max() ?? 0))
            for i in 0..<values.count {
                let db = 10 * log10f(Swift.max(amin, values[i])) - offset
                values[i] = db
                peak = Swift.max(peak, db)
            }
        case .value(let v):
            let offset = 10.0 * log10(Swift.max(self.amin, abs(v)))
            for i in 0..<values.count {
                let db = Float(Double(10 * log10f(Swift.max(amin, values[i]))) - offset)
                values[i] = db
                peak = Swift.max(peak, db)
            }
        }
        if let topDB {
            let floor = peak - Float(topDB)
            for i in 0..<values.count where values[i] < floor { values[i] = floor }
        }
    }

    /// `apply` with `10·log10(x)` computed as `10·log10(2)·log2(x)` and the reference offset in
    /// float32: glibc's `log2f` is the fast modern implementation while `log10f` is not, and in FOA
    /// features this conversion was a quarter of the clip's cost. The two differ by a few float32
    /// ULPs (< 1e-5 dB), far inside the FOA target (0.01 dB); the exact-librosa `apply` stays what
    /// log-mel uses. Used by FOA, per channel as the DCASE baselines call power_to_db.
    public func applyViaLog2(_ values: UnsafeMutableBufferPointer<Float>) {
        guard !values.isEmpty else { return }
        let refValue: Double
        switch ref {
        case .value(let v): refValue = abs(v)
        case .max: refValue = Double(values.max() ?? 0)
        }
        let offset = Float(10.0 * log10(Swift.max(self.amin, refValue)))
        let amin = Float(self.amin)
        let scale = Float(10 * log10(2.0))
        var peak = -Float.infinity
        for i in values.indices {
            let v = scale * log2f(Swift.max(amin, values[i])) - offset
            values[i] = v
            peak = Swift.max(peak, v)
        }
        if let topDB {
            let floor = peak - Float(topDB)
            for i in values.indices where values[i] < floor { values[i] = floor }
        }
    }
}
