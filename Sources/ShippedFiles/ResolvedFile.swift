import Foundation

/// The text of a pipeline or taxonomy and where it came from, so the run can say which one it used.
public struct ResolvedFile: Sendable {
    public enum Origin: Sendable, Equatable {
        case file(URL)
        case embedded(ShippedFile)
    }

    public let text: String
    public let origin: Origin

    /// What error messages name as the file: the path, or `pipelines/ingest.yaml (embedded)`.
    public var source: String {
        switch origin {
        case .file(let url): return url.path
        case .embedded(let file): return "\(file.path) (embedded)"
        }
    }

    /// One line for standard error: which file the run uses.
    public var usedLine: String {
        switch origin {
        case .file(let url): return "using \(url.path)"
        case .embedded(let file):
            return "using the embedded \(file.kind.rawValue) '\(file.name)' (\(file.path) as built into pipe)"
        }
    }
}
