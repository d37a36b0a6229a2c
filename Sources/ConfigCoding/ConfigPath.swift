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

    /// A decoding failure as one line naming the key path: a `DecodingError` (missing key, wrong
    /// type), an `UnknownConfigKey`, or any other error's own description.
    public static func describe(decodingError error: Error) -> String {
        guard let e = error as? DecodingError else { return String(describing: error) }
        func at(_ p: [CodingKey]) -> String { p.isEmpty ? "the top level" : describe(p) }
        switch e {
        case let .keyNotFound(key, ctx): return "missing key '\(describe(ctx.codingPath + [key]))'"
        case let .typeMismatch(type, ctx): return "\(at(ctx.codingPath)): expected \(typeName(type)) (\(ctx.debugDescription))"
        case let .valueNotFound(type, ctx): return "\(at(ctx.codingPath)): needs a \(typeName(type)) value, not null"
        case let .dataCorrupted(ctx):
            let underlying = ctx.underlyingError.map { " (\($0))" } ?? ""
            return "\(at(ctx.codingPath)): \(ctx.debugDescription)\(underlying)"
        @unknown default: return String(describing: e)
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default: return "\(type)"
        }
    }
}
