/// A pipeline or taxonomy file of the repository, embedded in the binary (ShippedFiles+Embedded.swift)
/// so that `pipe` copied alone to another machine still runs `--pipeline ingest` or `--taxonomy asc10`.
public struct ShippedFile: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case pipeline, taxonomy

        /// The repository folder the files of this kind live in.
        public var folder: String {
            switch self {
            case .pipeline: return "pipelines"
            case .taxonomy: return "manifests/taxonomies"
            }
        }
    }

    public let kind: Kind
    /// Path relative to the repository root, e.g. `pipelines/ingest.yaml`.
    public let path: String
    /// The file's bytes as UTF-8 text, exactly.
    public let text: String

    public init(kind: Kind, path: String, text: String) {
        self.kind = kind
        self.path = path
        self.text = text
    }

    /// The file name without `.yaml`: what `--pipeline` and `--taxonomy` accept.
    public var name: String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file
    }

    /// The paper the file follows, from the convention that a shipped file's first comment line
    /// starts with `<Paper> (seed NNN…)`: the text up to the parenthesis that names the seed.
    /// nil when the first line does not follow it (a test keeps every shipped pipeline following it).
    public var paper: String? {
        guard let first = text.split(separator: "\n", omittingEmptySubsequences: false).first,
              first.hasPrefix("# ") else { return nil }
        let line = first.dropFirst(2)
        guard let open = line.range(of: " (seed "),
              let close = line[open.upperBound...].firstIndex(of: ")") else { return nil }
        return String(line[..<line.index(after: close)])
    }

    /// The top-level `description:` value (quotes removed), without parsing the whole file: listing
    /// the shipped files must work even for one whose features a future version rejects.
    public var description: String? {
        for line in text.split(separator: "\n") where line.hasPrefix("description:") {
            var value = line.dropFirst("description:".count).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
