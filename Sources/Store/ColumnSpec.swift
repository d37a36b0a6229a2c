/// One column of a shard: its HDF5 path, element type and the shape of one row.
///
/// The dataset holding the column has shape `[rows] + rowShape`; see `chunkShape(rowCount:)` for
/// its chunks. Examples:
///
/// ```swift
/// ColumnSpec(name: "features/logmel", dtype: .float32, rowShape: [1, 501, 64]) // [C, T, F]
/// ColumnSpec(name: "meta/id", dtype: .string)                                  // scalar
/// ColumnSpec(name: "targets/teacher", dtype: .float32, rowShape: [10])         // [K]
/// ColumnSpec(name: "features/foa", dtype: .float32, rowShape: [7, 64], timeAxis: 1) // [C, T, F], T varies
/// ```
///
/// A variable-length column (`timeAxis` set; see `ColumnSpec+VariableLength.swift`) keeps every
/// row at its own number of frames T: `rowShape` is then the fixed shape of one frame as stored
/// ([C, F], [K]) and `timeAxis` where T sits in a row ([C, T, F] → 1, [T, K] → 0).
public struct ColumnSpec: Codable, Equatable, Hashable, Sendable {
    /// The dataset path without the leading slash, e.g. "features/logmel" or "meta/id".
    public var name: String
    public var dtype: ColumnType
    /// The shape of one row; `[]` for a scalar column. For a variable-length column, the shape of
    /// one frame (the row's shape without its time axis).
    public var rowShape: [Int]
    /// Variable-length columns only: the index of the time axis in a row's shape, whose extent
    /// differs from row to row. nil (and absent from the JSON, so existing manifests keep their
    /// bytes) for a fixed-shape column.
    public var timeAxis: Int?
    /// Variable-length columns: frames per second of the time axis (a feature's `sr / hop`, 10 for
    /// the 100-ms SELD labels), so a reader cutting a crop knows which label frames cover which
    /// feature frames. Recorded in the manifest's schema only, not in the HDF5 file.
    public var frameRate: Double?

    public init(name: String, dtype: ColumnType, rowShape: [Int] = [], timeAxis: Int? = nil, frameRate: Double? = nil) {
        self.name = name
        self.dtype = dtype
        self.rowShape = rowShape
        self.timeAxis = timeAxis
        self.frameRate = frameRate
    }

    /// The number of elements in one row (1 for scalars).
    public var elementsPerRow: Int { rowShape.reduce(1, *) }

    /// The most rows a scalar column's chunk holds.
    public static let scalarChunkRows = 4096

    /// The HDF5 chunk shape of the column in a file of `rowCount` rows.
    ///
    /// A row of a non-scalar column (a feature, a target vector) is one chunk, so a reader pulls any
    /// row alone. A scalar column (ids, labels, splits, durations) is read whole by readers and
    /// trainers, and one chunk per value costs a chunk lookup and a B-tree entry per row (h5py 3.7
    /// reading 4096 int32 values here: 17 ms from one-row chunks, 0.17 ms from one chunk): it is
    /// chunked `min(rowCount, 4096)` rows at a time (32 KiB for 8-byte values; at least 1 row, which
    /// an empty file needs).
    public func chunkShape(rowCount: Int) -> [Int] {
        if isVariableLength { return [framesPerChunk] + rowShape }
        return rowShape.isEmpty ? [max(1, min(rowCount, Self.scalarChunkRows))] : [1] + rowShape
    }

    /// Reports why this spec cannot be stored, or nil if it can.
    ///
    /// Names must be relative HDF5 paths of non-empty components; dimensions must be positive;
    /// only `float32` columns may be non-scalar because `ColumnValue` carries one integer or one
    /// string per row.
    public var validationProblem: String? {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.isEmpty || components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "column name '\(name)' must be a relative path like 'meta/id'"
        }
        if rowShape.contains(where: { $0 <= 0 }) {
            return "column '\(name)' has a non-positive dimension in \(rowShape)"
        }
        if dtype != .float32, !rowShape.isEmpty {
            return "column '\(name)' of type \(dtype.rawValue) must be scalar (rowShape [])"
        }
        if let timeAxis {
            if dtype != .float32 { return "variable-length column '\(name)' must be float32, not \(dtype.rawValue)" }
            if timeAxis < 0 || timeAxis > rowShape.count {
                return "variable-length column '\(name)': time axis \(timeAxis) outside a row of \(rowShape.count + 1) axes"
            }
        }
        return nil
    }
}
