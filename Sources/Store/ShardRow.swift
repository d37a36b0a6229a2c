/// One row of a shard or store: column name → value.
///
/// A thin wrapper over a dictionary so rows can be built with a literal and read with typed
/// accessors:
///
/// ```swift
/// let row: ShardRow = ["meta/id": .string("a-1"), "meta/label": .int32(3)]
/// row.int32("meta/label")  // 3
/// ```
public struct ShardRow: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    public var values: [String: ColumnValue]

    public init(_ values: [String: ColumnValue] = [:]) {
        self.values = values
    }

    public init(dictionaryLiteral elements: (String, ColumnValue)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(column: String) -> ColumnValue? {
        get { values[column] }
        set { values[column] = newValue }
    }

    /// The column names present, sorted.
    public var columnNames: [String] { values.keys.sorted() }

    public func floats(_ column: String) -> [Float]? { values[column]?.floats }
    public func int32(_ column: String) -> Int32? { values[column]?.int32 }
    public func int64(_ column: String) -> Int64? { values[column]?.int64 }
    public func uint64(_ column: String) -> UInt64? { values[column]?.uint64 }
    public func string(_ column: String) -> String? { values[column]?.string }

    /// Adds (or replaces) the columns of `other`.
    public func merging(_ other: ShardRow) -> ShardRow {
        ShardRow(values.merging(other.values, uniquingKeysWith: { _, new in new }))
    }
}
