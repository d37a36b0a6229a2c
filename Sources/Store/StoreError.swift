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
        }
    }

    public var errorDescription: String? { description }
}
