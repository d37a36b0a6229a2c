import Foundation

/// Errors that stop a whole run (a bad pipeline file, an unusable output folder). Problems with one
/// clip never throw this: they become rejections.
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(String)
    case unknownCorpus(String, known: [String])
    case corpusUnavailable(String)
    case output(String)

    public var description: String {
        switch self {
        case .invalidConfig(let message): return "invalid pipeline: \(message)"
        case let .unknownCorpus(name, known):
            return "unknown corpus '\(name)' (known: \(known.joined(separator: ", ")))"
        case .corpusUnavailable(let message): return message
        case .output(let message): return message
        }
    }

    /// A `DecodingError` in words: which key, where, why.
    static func describe(decodingError error: Error) -> String {
        guard let e = error as? DecodingError else { return String(describing: error) }
        func path(_ p: [CodingKey]) -> String { p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch e {
        case let .keyNotFound(key, ctx): return "missing key '\(path(ctx.codingPath + [key]))'"
        case let .typeMismatch(type, ctx): return "'\(path(ctx.codingPath))' should be \(type): \(ctx.debugDescription)"
        case let .valueNotFound(type, ctx): return "'\(path(ctx.codingPath))' needs a \(type) value"
        case let .dataCorrupted(ctx):
            let underlying = ctx.underlyingError.map { " (\($0))" } ?? ""
            return "'\(path(ctx.codingPath))': \(ctx.debugDescription)\(underlying)"
        @unknown default: return String(describing: e)
        }
    }
}
