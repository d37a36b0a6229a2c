import Foundation

/// A numeric array read from a NumPy `.npy` file (format versions 1.0-3.0), as float32.
///
/// Only what fixed feature weights need: little-endian or byte-order-free float32/float64
/// (`<f4`, `<f8`, `|f4`...), C or Fortran order (Fortran arrays are transposed to row-major so
/// `values` is always C order). Anything else is refused with the header in the message rather than
/// guessed at, since a silently misread weight matrix would give plausible but wrong features.
public struct NPYArray: Sendable, Equatable {
    public let shape: [Int]
    /// Row-major (C-order) values.
    public let values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count)
        self.shape = shape
        self.values = values
    }

    public init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url))
    }

    public init(data: Data) throws {
        let bytes = [UInt8](data)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw FeatureError("not an .npy file (bad magic)") }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw FeatureError("truncated .npy header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw FeatureError(".npy format version \(major) is not supported")
        }
        guard bytes.count >= headerStart + headerLength else { throw FeatureError("truncated .npy header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let descr = try Self.field("descr", in: header)
        let fortran = try Self.field("fortran_order", in: header)
        let shapeText = try Self.field("shape", in: header)
        let shape = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .compactMap { Int($0) }
        let count = shape.reduce(1, *)
        let width: Int
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) {
        case "<f4", "|f4", "=f4": width = 4
        case "<f8", "|f8", "=f8": width = 8
        default: throw FeatureError(".npy dtype \(descr) is not supported (need little-endian float32 or float64): \(header)")
        }
        let payload = headerStart + headerLength
        guard bytes.count >= payload + count * width else {
            throw FeatureError(".npy payload holds \(bytes.count - payload) bytes, shape \(shape) needs \(count * width)")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + payload
            for i in 0..<count {
                if width == 4 {
                    values[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                } else {
                    values[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            }
        }
        if fortran.hasPrefix("True") && shape.count > 1 {
            values = Self.fortranToC(values, shape: shape)
        }
        self.shape = shape
        self.values = values
    }

    /// The text of `'key': value` in the header dict (value up to the next top-level comma).
    static func field(_ key: String, in header: String) throws -> String {
        guard let range = header.range(of: "'\(key)':") else { throw FeatureError(".npy header lacks '\(key)': \(header)") }
        var depth = 0
        var value = ""
        for ch in header[range.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            value.append(ch)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// Column-major to row-major for any rank.
    static func fortranToC(_ values: [Float], shape: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<values.count {
            // `index` is the multi-index of row-major position c; its column-major offset:
            var f = 0, stride = 1
            for d in 0..<shape.count { f += index[d] * stride; stride *= shape[d] }
            out[c] = values[f]
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return out
    }
}
