/// The element type of a shard column, as stored in HDF5.
///
/// Stored types are little-endian and fixed (`H5T_IEEE_F32LE`, `H5T_STD_I32LE`, …) so a shard's
/// bytes do not depend on the machine that wrote it. Only `float32` columns may have a non-scalar
/// row shape; the others hold one value per row.
public enum ColumnType: String, Codable, CaseIterable, Sendable {
    case float32
    case int32
    case int64
    case uint64
    /// Variable-length UTF-8 text.
    case string
}
