import Foundation

/// Every failure the Store module reports.
///
/// Each case names the file involved, because a pipeline run touches hundreds of shards and an
/// error without a path sends the user hunting. HDF5 failures also carry the library call and the
/// reason taken from HDF5's error stack (whose automatic printing to stderr is switched off).
public enum StoreError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// An HDF5 call returned a negative status.
    case hdf5(call: String, path: String, reason: String)
    /// A POSIX or Foundation file operation failed.
    case io(operation: String, path: String, reason: String)
    /// A file named by a manifest does not exist.
    case missingFile(path: String)
    /// A file's SHA-256 or size differs from what its manifest recorded.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// A schema or row did not match what the shard declares.
    case schema(path: String, reason: String)
    /// A row index outside the shard or store.
    case rowOutOfRange(path: String, index: Int, rowCount: Int)
    /// A manifest is inconsistent with itself or its parent.
    case invalidManifest(path: String, reason: String)
    /// The caller used an object in the wrong state (e.g. writing after commit).
    case invalidState(path: String, reason: String)
    /// Another process holds the lock of a shard this one would write.
    case locked(path: String, holder: String)
    /// An output folder holds something this command must not replace without `--overwrite`.
    case outputInUse(path: String, reason: String)
    /// A view's ancestor changed since the view was made: its rows would pair with other rows' values.
    case staleView(view: String, ancestor: String, reason: String)
    /// Finalizing found planned shards missing, stale or corrupt (one line each).
    case incompleteStore(path: String, problems: [String])

    public var description: String {
        switch self {
        case let .hdf5(call, path, reason):
            return "\(call) failed for \(path): \(reason)"
        case let .io(operation, path, reason):
            return "\(operation) failed for \(path): \(reason)"
        case let .missingFile(path):
            return "missing file \(path)"
        case let .checksumMismatch(path, expected, actual):
            return "checksum mismatch for \(path): manifest says \(expected), file has \(actual)"
        case let .schema(path, reason):
            return "schema error in \(path): \(reason)"
        case let .rowOutOfRange(path, index, rowCount):
            return "row \(index) out of range 0..<\(rowCount) in \(path)"
        case let .invalidManifest(path, reason):
            return "invalid manifest \(path): \(reason)"
        case let .invalidState(path, reason):
            return "invalid state for \(path): \(reason)"
        case let .locked(path, holder):
            return "\(path) is locked by another process (\(holder)): two runs that would write the same shards "
                + "cannot share a store folder; wait for it to finish, or give each worker its own shards"
        case let .outputInUse(path, reason):
            return "\(path): \(reason); nothing was written (pass --overwrite to replace it)"
        case let .staleView(view, ancestor, reason):
            return "stale view \(view): its ancestor \(ancestor) changed since the view was made (\(reason)); "
                + "rebuild the view from the current store"
        case let .incompleteStore(path, problems):
            return "cannot finalize \(path): \(problems.count) planned shard(s) not ready:\n  "
                + problems.joined(separator: "\n  ")
        }
    }

    public var errorDescription: String? { description }
}
