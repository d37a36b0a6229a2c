import Foundation

extension JSONValue {
    /// The lower-case hex SHA-256 of this value's canonical JSON (sorted keys, no whitespace).
    ///
    /// This is how stages compute a `configHash`: two configurations that differ only in key order
    /// hash the same, and any changed parameter changes the hash.
    public func canonicalSHA256() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        return SHA256Hasher.hex(of: data)
    }
}
