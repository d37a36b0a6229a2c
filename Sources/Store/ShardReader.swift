import CHDF5
import Foundation

/// Reads a committed shard: its schema, single rows, row ranges or whole columns.
///
/// Every read selects a hyperslab, so reading row `i` touches only row `i`'s chunks. Values come
/// back as `ColumnValue`s or, for bulk reads, as typed arrays (`readFloatRows` returns the rows
/// flattened in C order, ready for a batch).
///
/// ```swift
/// let shard = try ShardReader(url: store.appendingPathComponent("shards/part-00000.h5"))
/// let row = try shard.readRow(7, columns: ["meta/id", "meta/label"])
/// let batch = try shard.readFloatRows("features/logmel", 0..<32)   // 32 × 1 × 501 × 64 floats
/// ```
///
/// Not thread-safe across concurrent reads of one instance (HDF5 calls are serialized anyway);
/// open one reader per thread if needed.
public final class ShardReader {
    public let url: URL
    /// Rows in the shard (the common first dimension of every column).
    public let rowCount: Int
    /// The columns, sorted by name, as discovered in the file.
    public let columns: [ColumnSpec]
    /// The string attributes of the root group (schema version, pipeline, config hash, …).
    public let attributes: [String: String]

    private let file: HDF5File
    let datasets: [String: HDF5Dataset]
    private let specs: [String: ColumnSpec]
    /// Variable-length columns' row offsets in frames (`<name>_offsets`, N + 1 values, checked at open).
    private let frameOffsets: [String: [Int64]]
    private var path: String { url.path }

    /// Opens a shard that a manifest or sidecar lists, trusting nothing it has not checked: the
    /// file's bytes must hash to `info`'s SHA-256 (`VerifiedFiles`: once per process) before HDF5
    /// reads one of them, because HDF5 can crash, or return a plausible array, on a damaged file.
    /// Then its datasets must be exactly `columns` (when given) with their dtype and row shape, and
    /// every one must have `info.rows` rows, checked before anything is allocated or read. A
    /// mismatch is `StoreError.checksumMismatch` or `StoreError.schema` naming the file.
    public convenience init(url: URL, verifying info: ShardInfo, columns: [ColumnSpec]?) throws {
        try VerifiedFiles.require(url, sha256: info.sha256, bytes: info.bytes)
        try self.init(url: url, expectedColumns: columns, expectedRows: info.rows)
    }

    /// Opens the shard read-only, without a recorded checksum to hold it to (prefer
    /// `init(url:verifying:columns:)` for a file a manifest lists). A missing file is
    /// `StoreError.missingFile`; a file HDF5 cannot open (truncated, not HDF5) is `StoreError.hdf5`
    /// naming `H5Fopen` and the path; a dataset whose rank, extent or type the store never writes
    /// is `StoreError.schema`.
    public convenience init(url: URL) throws {
        try self.init(url: url, expectedColumns: nil, expectedRows: nil)
    }

    private init(url: URL, expectedColumns: [ColumnSpec]?, expectedRows: Int?) throws {
        self.url = url
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missingFile(path: path) }
        file = try HDF5File.openReadOnly(path: path)
        attributes = try HDF5Attribute.readStrings(on: file.id, path: path)
        let expected = expectedColumns.map { Dictionary($0.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) }
        var datasets: [String: HDF5Dataset] = [:]
        var specs: [String: ColumnSpec] = [:]
        var offsetsByColumn: [String: [Int64]] = [:]
        var rows = expectedRows
        let names = try file.datasetPaths()
        // Variable-length columns first: their row count is their offsets' count less one.
        var timeAxes: [String: Int] = [:]
        let present = Set(names)
        for name in names where present.contains(name + ColumnSpec.offsetsSuffix) || expected?[name]?.isVariableLength == true {
            let axis: Int?
            if let expected {
                axis = expected[name]?.timeAxis
            } else {
                let dataset = try HDF5Dataset.open(in: file.id, name: name, path: path)
                let recorded = try HDF5Attribute.readStrings(on: dataset.id, path: path)[VariableLengthColumnWriter.timeAxisAttribute]
                axis = recorded.flatMap { Int($0) }
            }
            if let axis { timeAxes[name] = axis }
        }
        for name in names.sorted(by: { (timeAxes[$0] != nil ? 0 : 1, $0) < (timeAxes[$1] != nil ? 0 : 1, $1) }) {
            if name.hasSuffix(ColumnSpec.offsetsSuffix), timeAxes[String(name.dropLast(ColumnSpec.offsetsSuffix.count))] != nil {
                continue   // read with its column
            }
            let wanted = expected?[name]
            if let axis = timeAxes[name] {
                var (spec, dataset, offsets) = try Self.openVariableLength(name, timeAxis: axis, in: file, rows: rows,
                                                                            expectedRows: expectedRows != nil, path: path)
                spec.frameRate = wanted?.frameRate   // the manifest's, not the file's
                if let wanted, spec != wanted {
                    throw StoreError.schema(path: path, reason:
                        "dataset '\(name)' holds frames of \(spec.rowShape), the schema says \(wanted.rowShape) (time axis \(wanted.timeAxis ?? -1))")
                }
                rows = offsets.count - 1
                datasets[name] = dataset
                specs[name] = spec
                offsetsByColumn[name] = offsets
                continue
            }
            if expected != nil, wanted == nil {
                throw StoreError.schema(path: path, reason: "dataset '\(name)' is not a column of the manifest's schema")
            }
            let dataset = try HDF5Dataset.open(in: file.id, name: name, path: path)
            let space = try dataset.space()
            let rank = try space.rank()
            if let wanted, rank != 1 + wanted.rowShape.count {
                throw StoreError.schema(path: path, reason:
                    "dataset '\(name)' has rank \(rank), the schema says \(1 + wanted.rowShape.count)")
            }
            let dims = try space.dimensions()
            guard let first = dims.first else {
                throw StoreError.schema(path: path, reason: "dataset '\(name)' is scalar, expected a row axis")
            }
            if let rows, rows != first {
                throw StoreError.schema(path: path, reason: expectedRows == nil
                    ? "dataset '\(name)' has \(first) rows, others have \(rows)"
                    : "dataset '\(name)' has \(first) rows, the manifest says \(rows)")
            }
            rows = first
            let spec = ColumnSpec(name: name, dtype: try Self.columnType(of: dataset, name: name, path: path),
                                  rowShape: Array(dims.dropFirst()))
            if let wanted, spec != wanted {
                throw StoreError.schema(path: path, reason:
                    "dataset '\(name)' is \(spec.dtype.rawValue) \(spec.rowShape), the schema says \(wanted.dtype.rawValue) \(wanted.rowShape)")
            }
            // Sizes a read will allocate: a row's elements, and the whole column's, must fit an Int.
            var total = first
            for extent in spec.rowShape {
                let (product, overflow) = total.multipliedReportingOverflow(by: Swift.max(extent, 1))
                guard !overflow else {
                    throw StoreError.schema(path: path, reason: "dataset '\(name)' has an impossible extent \(dims)")
                }
                total = product
            }
            datasets[name] = dataset
            specs[name] = spec
        }
        if let expected, let missing = expected.keys.sorted().first(where: { specs[$0] == nil }) {
            throw StoreError.schema(path: path, reason: "no dataset for the schema's column '\(missing)'")
        }
        self.datasets = datasets
        self.specs = specs
        self.frameOffsets = offsetsByColumn
        self.columns = specs.values.sorted { $0.name < $1.name }
        self.rowCount = rows ?? 0
    }

    /// Opens variable-length column `name` and its offsets, checking them before any read sizes an
    /// array: the data is float32 of rank ≥ 1, the offsets int64 `[rows + 1]` (when `rows` is known),
    /// starting at 0, increasing, ending at the data's frame count.
    private static func openVariableLength(_ name: String, timeAxis: Int, in file: HDF5File, rows: Int?,
                                           expectedRows: Bool, path: String) throws -> (ColumnSpec, HDF5Dataset, [Int64]) {
        let dataset = try HDF5Dataset.open(in: file.id, name: name, path: path)
        let dims = try dataset.space().dimensions()
        guard let frames = dims.first, try columnType(of: dataset, name: name, path: path) == .float32 else {
            throw StoreError.schema(path: path, reason: "variable-length dataset '\(name)' must be float32 with a frame axis")
        }
        let spec = ColumnSpec(name: name, dtype: .float32, rowShape: Array(dims.dropFirst()), timeAxis: timeAxis)
        if let problem = spec.validationProblem { throw StoreError.schema(path: path, reason: problem) }
        let offsetsName = spec.offsetsName
        guard try file.linkExists(offsetsName) else {
            throw StoreError.schema(path: path, reason: "variable-length dataset '\(name)' has no '\(offsetsName)'")
        }
        let offsetsSet = try HDF5Dataset.open(in: file.id, name: offsetsName, path: path)
        let space = try offsetsSet.space()
        let offsetDims = try space.dimensions()
        guard offsetDims.count == 1, try columnType(of: offsetsSet, name: offsetsName, path: path) == .int64 else {
            throw StoreError.schema(path: path, reason: "'\(offsetsName)' must be int64 of rank 1, found \(offsetDims)")
        }
        if let rows, offsetDims[0] != rows + 1 {
            throw StoreError.schema(path: path, reason: expectedRows
                ? "'\(offsetsName)' has \(offsetDims[0]) offsets, the manifest says \(rows) rows (\(rows + 1) offsets)"
                : "'\(offsetsName)' has \(offsetDims[0]) offsets for \(rows) rows of the other columns")
        }
        guard offsetDims[0] >= 1 else { throw StoreError.schema(path: path, reason: "'\(offsetsName)' is empty; it needs offsets[0] = 0") }
        var offsets = [Int64](repeating: 0, count: offsetDims[0])
        try offsets.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try offsetsSet.read(memoryType: ap_H5T_NATIVE_INT64(), memory: space, file: space, buffer: base)
        }
        guard offsets[0] == 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 < $1 }), offsets.last == Int64(frames) else {
            throw StoreError.schema(path: path, reason:
                "'\(offsetsName)' must rise from 0 to the \(frames) frames of '\(name)', one or more frames a row")
        }
        return (spec, dataset, offsets)
    }

    /// The frames of row `index` of variable-length column `name`.
    public func frameCount(_ name: String, row index: Int) throws -> Int {
        let offsets = try requireOffsets(name)
        guard index >= 0, index < rowCount else { throw StoreError.rowOutOfRange(path: path, index: index, rowCount: rowCount) }
        return Int(offsets[index + 1] - offsets[index])
    }

    /// Every row's frame count of variable-length column `name`.
    public func frameCounts(_ name: String) throws -> [Int] {
        let offsets = try requireOffsets(name)
        return zip(offsets, offsets.dropFirst()).map { Int($1 - $0) }
    }

    /// Frames `frames` of row `index` of variable-length column `name`, time-major
    /// (`frames.count × rowShape`, the stored order): one hyperslab, touching only those frames' chunks.
    public func readFrames(_ name: String, row index: Int, frames: Range<Int>) throws -> [Float] {
        let offsets = try requireOffsets(name)
        guard index >= 0, index < rowCount else { throw StoreError.rowOutOfRange(path: path, index: index, rowCount: rowCount) }
        let count = Int(offsets[index + 1] - offsets[index])
        guard frames.lowerBound >= 0, frames.upperBound <= count else {
            throw StoreError.schema(path: path, reason: "frames \(frames) of row \(index) of '\(name)', which has \(count)")
        }
        guard !frames.isEmpty, let dataset = datasets[name], let spec = specs[name] else { return [] }
        let fileSpace = try dataset.space()
        try fileSpace.selectHyperslab(start: [Int(offsets[index]) + frames.lowerBound] + spec.rowShape.map { _ in 0 },
                                      count: [frames.count] + spec.rowShape)
        let memory = try HDF5Dataspace.simple([frames.count] + spec.rowShape, path: path)
        var values = [Float](repeating: 0, count: frames.count * spec.elementsPerFrame)
        try values.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try dataset.read(memoryType: ap_H5T_NATIVE_FLOAT(), memory: memory, file: fileSpace, buffer: base)
        }
        return values
    }

    private func requireOffsets(_ name: String) throws -> [Int64] {
        let spec = try requireColumn(name)
        guard spec.isVariableLength, let offsets = frameOffsets[name] else {
            throw StoreError.schema(path: path, reason: "column '\(name)' is not variable-length")
        }
        return offsets
    }

    /// Maps a stored HDF5 type to the column type it was written as.
    private static func columnType(of dataset: HDF5Dataset, name: String, path: String) throws -> ColumnType {
        let type = try dataset.type()
        let size = try type.size()
        let typeClass = try type.typeClass()
        if typeClass == H5T_FLOAT, size == 4 { return .float32 }
        if typeClass == H5T_INTEGER {
            let signed = try type.isSigned()
            if size == 4, signed { return .int32 }
            if size == 8 { return signed ? .int64 : .uint64 }
        }
        if typeClass == H5T_STRING, try type.isVariableString() { return .string }
        throw StoreError.schema(path: path, reason: "dataset '\(name)' has an unsupported type (size \(size))")
    }

    /// The column names, sorted.
    public var columnNames: [String] { columns.map(\.name) }

    /// The spec of column `name`, or nil if the shard has no such column.
    public func spec(of name: String) -> ColumnSpec? { specs[name] }

    /// Reads row `index`: all columns, or only `columns` when given.
    public func readRow(_ index: Int, columns names: [String]? = nil) throws -> ShardRow {
        guard index >= 0, index < rowCount else {
            throw StoreError.rowOutOfRange(path: path, index: index, rowCount: rowCount)
        }
        var row = ShardRow()
        for name in names ?? columnNames {
            row[name] = try readValues(name, index..<(index + 1))[0]
        }
        return row
    }

    /// Reads every row of column `name`.
    public func readColumn(_ name: String) throws -> [ColumnValue] {
        try readValues(name, 0..<rowCount)
    }

    /// Reads the rows `range` of column `name` as values.
    public func readValues(_ name: String, _ range: Range<Int>) throws -> [ColumnValue] {
        let spec = try requireColumn(name)
        if spec.isVariableLength {
            guard range.lowerBound >= 0, range.upperBound <= rowCount else {
                throw StoreError.rowOutOfRange(path: path, index: range.lowerBound < 0 ? range.lowerBound : range.upperBound - 1,
                                               rowCount: rowCount)
            }
            return try range.map { row in
                let frames = try frameCount(name, row: row)
                return .float32(VariableLengthLayout.rowOrder(try readFrames(name, row: row, frames: 0..<frames),
                                                              frames: frames, spec: spec))
            }
        }
        switch spec.dtype {
        case .float32:
            let flat = try readFloatRows(name, range)
            let width = spec.elementsPerRow
            return (0..<range.count).map { .float32(Array(flat[($0 * width)..<(($0 + 1) * width)])) }
        case .int32: return try readInt32(name, range).map(ColumnValue.int32)
        case .int64: return try readInt64(name, range).map(ColumnValue.int64)
        case .uint64: return try readUInt64(name, range).map(ColumnValue.uint64)
        case .string: return try readStrings(name, range).map(ColumnValue.string)
        }
    }

    /// Reads rows `range` of a float32 column, flattened in C order (`range.count × elementsPerRow`).
    public func readFloatRows(_ name: String, _ range: Range<Int>) throws -> [Float] {
        try readNumbers(name, range, as: .float32, memoryType: ap_H5T_NATIVE_FLOAT(), zero: Float(0))
    }

    /// Reads the rows `rows` (strictly increasing) of a float32 column, flattened in C order in the
    /// order given: one `H5Dread` per run of consecutive rows, straight into the result.
    ///
    /// Why runs and not one union selection: a row is one chunk, so a run's read touches exactly its
    /// chunks, while HDF5 walks a union of many hyperslabs (`H5S_SELECT_OR`) so slowly that a
    /// 64-row gather of [1, 501, 64] rows ran at 135 rows/s here against thousands per second for
    /// one call per run.
    public func readFloatRows(_ name: String, rows: [Int]) throws -> [Float] {
        let spec = try requireColumn(name)
        guard spec.dtype == .float32 else {
            throw StoreError.schema(path: path, reason: "column '\(name)' is \(spec.dtype.rawValue), read as float32")
        }
        try requireFixedShape(spec)
        guard let first = rows.first, let dataset = datasets[name] else { return [] }
        for (previous, next) in zip(rows, rows.dropFirst()) where next <= previous {
            throw StoreError.schema(path: path, reason: "gathered rows must be strictly increasing (\(previous) then \(next))")
        }
        guard first >= 0, let last = rows.last, last < rowCount else {
            throw StoreError.rowOutOfRange(path: path, index: first < 0 ? first : rows.last ?? 0, rowCount: rowCount)
        }
        let width = spec.elementsPerRow
        let zeros = spec.rowShape.map { _ in 0 }
        let fileSpace = try dataset.space()
        var memorySpaces: [Int: HDF5Dataspace] = [:]
        var values = [Float](repeating: 0, count: rows.count * width)
        var runs: [(start: Int, length: Int)] = []
        for row in rows {
            if let lastRun = runs.last, row == lastRun.start + lastRun.length {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((row, 1))
            }
        }
        try values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            for run in runs {
                try fileSpace.selectHyperslab(start: [run.start] + zeros, count: [run.length] + spec.rowShape)
                let memorySpace = try memorySpaces[run.length]
                    ?? HDF5Dataspace.simple([run.length] + spec.rowShape, path: path)
                memorySpaces[run.length] = memorySpace
                try dataset.read(memoryType: ap_H5T_NATIVE_FLOAT(), memory: memorySpace, file: fileSpace,
                                 buffer: UnsafeMutableRawPointer(base + offset))
                offset += run.length * width
            }
        }
        return values
    }

    /// Reads an int32 column (all rows, or `range`).
    public func readInt32(_ name: String, _ range: Range<Int>? = nil) throws -> [Int32] {
        try readNumbers(name, range ?? 0..<rowCount, as: .int32, memoryType: ap_H5T_NATIVE_INT32(), zero: Int32(0))
    }

    /// Reads an int64 column (all rows, or `range`).
    public func readInt64(_ name: String, _ range: Range<Int>? = nil) throws -> [Int64] {
        try readNumbers(name, range ?? 0..<rowCount, as: .int64, memoryType: ap_H5T_NATIVE_INT64(), zero: Int64(0))
    }

    /// Reads a uint64 column (all rows, or `range`).
    public func readUInt64(_ name: String, _ range: Range<Int>? = nil) throws -> [UInt64] {
        try readNumbers(name, range ?? 0..<rowCount, as: .uint64, memoryType: ap_H5T_NATIVE_UINT64(), zero: UInt64(0))
    }

    /// Reads a string column (all rows, or `range`).
    public func readStrings(_ name: String, _ range: Range<Int>? = nil) throws -> [String] {
        let range = range ?? 0..<rowCount
        let (dataset, fileSpace, memorySpace) = try select(name, range, as: .string)
        guard let dataset, let fileSpace, let memorySpace else { return [] }
        let memoryType = try HDF5Datatype.variableLengthUTF8(path: path)
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: range.count)
        try pointers.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try dataset.read(memoryType: memoryType.id, memory: memorySpace, file: fileSpace, buffer: base)
        }
        let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
        pointers.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            HDF5Library.locked { _ = H5Dvlen_reclaim(memoryType.id, memorySpace.id, ap_H5P_DEFAULT(), base) }
        }
        return strings
    }

    private func readNumbers<T>(_ name: String, _ range: Range<Int>, as dtype: ColumnType,
                                memoryType: hid_t, zero: T) throws -> [T] {
        let (dataset, fileSpace, memorySpace) = try select(name, range, as: dtype)
        guard let dataset, let fileSpace, let memorySpace else { return [] }
        let spec = try requireColumn(name)
        var values = [T](repeating: zero, count: range.count * spec.elementsPerRow)
        try values.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try dataset.read(memoryType: memoryType, memory: memorySpace, file: fileSpace, buffer: base)
        }
        return values
    }

    /// Checks the column and range, and selects rows `range` in a fresh file dataspace. Returns
    /// nils for an empty range (HDF5 rejects zero-sized memory spaces).
    private func select(_ name: String, _ range: Range<Int>, as dtype: ColumnType) throws
        -> (HDF5Dataset?, HDF5Dataspace?, HDF5Dataspace?) {
        let spec = try requireColumn(name)
        guard spec.dtype == dtype else {
            throw StoreError.schema(path: path, reason: "column '\(name)' is \(spec.dtype.rawValue), read as \(dtype.rawValue)")
        }
        try requireFixedShape(spec)
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw StoreError.rowOutOfRange(path: path, index: range.lowerBound < 0 ? range.lowerBound : range.upperBound - 1,
                                           rowCount: rowCount)
        }
        guard !range.isEmpty, let dataset = datasets[name] else { return (nil, nil, nil) }
        let fileSpace = try dataset.space()
        try fileSpace.selectHyperslab(start: [range.lowerBound] + spec.rowShape.map { _ in 0 },
                                      count: [range.count] + spec.rowShape)
        let memorySpace = try HDF5Dataspace.simple([range.count] + spec.rowShape, path: path)
        return (dataset, fileSpace, memorySpace)
    }

    /// Bulk row reads lay rows end to end at one width: a variable-length column has none.
    private func requireFixedShape(_ spec: ColumnSpec) throws {
        if spec.isVariableLength {
            throw StoreError.schema(path: path, reason:
                "column '\(spec.name)' is variable-length: read its rows with readValues or frames with readFrames")
        }
    }

    private func requireColumn(_ name: String) throws -> ColumnSpec {
        guard let spec = specs[name] else {
            throw StoreError.schema(path: path, reason: "no column '\(name)' (has \(columnNames.joined(separator: ", ")))")
        }
        return spec
    }
}
