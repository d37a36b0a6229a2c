/// The value of one column in one row.
///
/// `float32` holds the row's elements flattened in C order (row shape `[1, 501, 64]` gives
/// 32,064 values); the other cases hold the single value of a scalar column.
public enum ColumnValue: Equatable, Hashable, Sendable {
    case float32([Float])
    case int32(Int32)
    case int64(Int64)
    case uint64(UInt64)
    case string(String)

    /// The column type this value belongs to.
    public var dtype: ColumnType {
        switch self {
        case .float32: return .float32
        case .int32: return .int32
        case .int64: return .int64
        case .uint64: return .uint64
        case .string: return .string
        }
    }

    /// The floats of a `.float32` value, else nil.
    public var floats: [Float]? {
        if case let .float32(values) = self { return values }
        return nil
    }

    /// The value of an `.int32`, else nil.
    public var int32: Int32? {
        if case let .int32(value) = self { return value }
        return nil
    }

    /// The value of an `.int64`, else nil.
    public var int64: Int64? {
        if case let .int64(value) = self { return value }
        return nil
    }

    /// The value of a `.uint64`, else nil.
    public var uint64: UInt64? {
        if case let .uint64(value) = self { return value }
        return nil
    }

    /// The text of a `.string`, else nil.
    public var string: String? {
        if case let .string(value) = self { return value }
        return nil
    }
}
