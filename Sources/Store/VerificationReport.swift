/// The result of `StoreReader.verify()`: every file checked and every mismatch found.
///
/// Verification collects all problems instead of stopping at the first, so `pipe verify` can list
/// every damaged shard of a store in one run.
public struct VerificationReport: Equatable, Sendable {
    /// One file that failed: its path and why (missing, size or SHA-256 differs, unreadable).
    public struct Failure: Equatable, Sendable {
        public var path: String
        public var reason: String
    }

    /// Paths of every file checked (shards, column files, for a view also its ancestors').
    public var checked: [String] = []
    public var failures: [Failure] = []

    /// True when every file matched its manifest.
    public var isValid: Bool { failures.isEmpty }
}
