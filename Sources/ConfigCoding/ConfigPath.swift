/// Coding paths and decoding errors in the words a configuration file's author uses.
public enum ConfigPath {
    /// `features[0].db.top_db`: keys joined by dots, array positions in brackets.
    public static func describe(_ path: [CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue ?? arrayIndex(key.stringValue) {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }

    /// Decoders that name array positions "Index 3" rather than by an integer key.
    static func arrayIndex(_ name: String) -> Int? {
        guard name.hasPrefix("Index "), let n = Int(name.dropFirst(6)) else { return nil }
        return n
    }

    /// The error a type's own `init(from:)` threw, if a decoder wrapped it in a `DecodingError`.
    public static func unwrapped(_ error: Error) -> Error {
        if case .dataCorrupted(let ctx)? = error as? DecodingError, let underlying = ctx.underlyingError,
           !(underlying is DecodingError) {
            return unwrapped(underlying)
        }
        return error
    }

    /// A decoding failure as one line naming the key path: a `DecodingError` (missing key, wrong
    /// type), an `UnknownConfigKey`, or any other error's own description.
    public static func describe(decodingError error: Error) -> String {
        guard let e = error as? DecodingError else { return String(describing: error) }
        func at(_ p: [CodingKey]) -> String { p.isEmpty ? "the top level" : describe(p) }
        func expected(_ type: Any.Type, _ ctx: DecodingError.Context) -> String {
            let detail = ctx.debugDescription.hasPrefix("not ") ? ", \(ctx.debugDescription)" : " (\(ctx.debugDescription))"
            return "\(at(ctx.codingPath)): expected \(typeName(type))" + detail
        }
        switch e {
        case let .keyNotFound(key, ctx): return "missing key '\(describe(ctx.codingPath + [key]))'"
        case let .typeMismatch(type, ctx): return expected(type, ctx)
        // Yams reports a scalar it cannot convert (`n_fft: many`) as a missing value too.
        case let .valueNotFound(type, ctx): return expected(type, ctx)
        case let .dataCorrupted(ctx):
            // An error thrown by a type's own `init(from:)` (an `UnknownConfigKey`, a rule between
            // keys) arrives wrapped by some decoders (Yams: "not valid YAML"): it speaks for itself.
            if let underlying = ctx.underlyingError, !(underlying is DecodingError) {
                return describe(decodingError: underlying)
            }
            let underlying = ctx.underlyingError.map { " (\($0))" } ?? ""
            return "\(at(ctx.codingPath)): \(ctx.debugDescription)\(underlying)"
        @unknown default: return String(describing: e)
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return "\(type)"
        }
    }
}
