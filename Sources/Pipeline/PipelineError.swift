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
}
