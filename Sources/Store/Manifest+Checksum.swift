import Foundation

extension Manifest {
    /// The SHA-256 `checksum` holds: over the canonical JSON (sorted keys, no whitespace, unescaped
    /// slashes) of this manifest with `checksum` removed. Canonical rather than over the file's bytes
    /// so the rule is easy to restate in any language:
    /// `sha256(json.dumps({k: v for k, v in m.items() if k != "checksum"}, sort_keys=True, separators=(",", ":")))`
    /// — up to JSON number formatting, which this tool writes as Swift's shortest round-trip form.
    public func computedChecksum() throws -> String {
        var copy = self
        copy.checksum = nil
        return SHA256Hasher.hex(of: try Self.canonicalEncoder().encode(copy))
    }

    /// A checksum of what a view of this manifest depends on: kind, config hash, columns, classes,
    /// rows, the files that hold them (shards, or selection and column files) and, for a view, its
    /// own parent's identity. Provenance (tool, library versions) is left out, so re-finalizing the
    /// same shards does not make views stale.
    public func contentChecksum() throws -> String {
        struct Content: Encodable {
            let kind: Kind, configHash: String, columns: [ColumnSpec], classes: [String]
            let columnClasses: [String: [String]]?, rowCount: Int, shards: [ShardInfo]
            let selection: [ViewSelection]?, columnFiles: [ShardInfo]?, parentIdentity: ParentIdentity?
        }
        let content = Content(kind: kind, configHash: configHash, columns: columns, classes: classes,
                              columnClasses: columnClasses, rowCount: rowCount, shards: shards,
                              selection: selection, columnFiles: columnFiles, parentIdentity: parentIdentity)
        return SHA256Hasher.hex(of: try Self.canonicalEncoder().encode(content))
    }

    /// This manifest's identity as a view records it.
    public func identity() throws -> ParentIdentity {
        ParentIdentity(configHash: configHash, contentSHA256: try contentChecksum())
    }

    private static func canonicalEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
