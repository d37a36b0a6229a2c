import CHDF5
import Foundation

/// Writes one shard: an HDF5 file with one dataset per column, committed atomically. Feature
/// columns have one row per chunk, scalar columns up to 4096 rows per chunk (`ColumnSpec.chunkShape`).
///
/// Feature rows are written one at a time by hyperslab; scalar values wait in a `ScalarChunkBuffer`
/// until their chunk is complete and are written a chunk per call. Memory holds one feature row and
/// at most a chunk of scalars per column (with rows in order), never the shard. The file
/// is built under a temporary name of this writer's own (`<name>.h5.<host>-<pid>-<random>.tmp`,
/// see `WriterToken`, so writers sharing a folder never touch each other's files); `commit()` checks every row was written,
/// closes and fsyncs it, renames it to `<name>.h5`, fsyncs the directory, hashes it and only then
/// writes the sidecar `<name>.json`. A crash therefore leaves either no shard or a complete one,
/// and a shard without a sidecar is never trusted. A writer dropped without `commit()` deletes its
/// temporary file.
///
/// Output is byte-identical for identical input: object time tracking is off on the file, groups
/// and datasets, the format version is pinned, groups and datasets are created in schema order and
/// attributes in key order.
///
/// ```swift
/// let writer = try ShardWriter(directory: shards, name: "part-00000", schema: schema,
///                              rowCount: 2, attributes: ["schema_version": "1"])
/// try writer.write(row: first, at: 0)
/// try writer.write(row: second, at: 1)
/// let info = try writer.commit()   // shards/part-00000.h5 + shards/part-00000.json
/// ```
///
/// Not thread-safe: one writer thread per shard, as the pipeline's design has it.
public final class ShardWriter {
    public let directory: URL
    public let name: String
    public let schema: [ColumnSpec]
    /// Rows of the shard; after `commitWritten` the rows written.
    public private(set) var rowCount: Int

    /// Where the committed shard will be.
    public var finalURL: URL { directory.appendingPathComponent(name + ".h5") }
    /// Where the shard is built until `commit()`.
    public var temporaryURL: URL { URL(fileURLWithPath: path) }
    /// Where the sidecar goes after the rename.
    public var sidecarURL: URL { directory.appendingPathComponent(name + ".json") }

    /// An open dataset plus the dataspaces reused for every row write.
    private struct OpenColumn {
        let spec: ColumnSpec
        let dataset: HDF5Dataset
        let fileSpace: HDF5Dataspace
        let rowSpace: HDF5Dataspace
        let memoryType: hid_t
        let stringType: HDF5Datatype?
    }

    private var file: HDF5File?
    private var columns: [String: OpenColumn] = [:]
    /// Scalar columns' values waiting for the rest of their chunk (`ScalarChunkBuffer`).
    private var scalarBuffers: [String: ScalarChunkBuffer] = [:]
    /// Variable-length columns (`VariableLengthColumnWriter`): rows must then arrive in order.
    private var variableColumns: [String: VariableLengthColumnWriter] = [:]
    private var written: [Bool]
    private var writtenCount = 0
    private var ids: [String] = []
    private var committed = false
    /// The sidecar written by `commit`.
    public private(set) var sidecar: ShardSidecar?
    private let path: String

    /// Creates the temporary `<directory>/<name>.h5.<token>.tmp` with an empty dataset per column and the string
    /// `attributes` on the root group (e.g. schema version, pipeline name, config hash).
    public init(directory: URL, name: String, schema: [ColumnSpec], rowCount: Int,
                attributes: [String: String] = [:]) throws {
        self.directory = directory
        self.name = name
        self.schema = schema
        self.rowCount = rowCount
        self.written = [Bool](repeating: false, count: max(rowCount, 0))
        self.path = WriterToken.temporaryPath(for: directory.appendingPathComponent(name + ".h5").path)
        guard !name.isEmpty, !name.contains("/") else {
            throw StoreError.schema(path: path, reason: "shard name '\(name)' must be a plain file name")
        }
        guard rowCount >= 0 else {
            throw StoreError.schema(path: path, reason: "negative row count \(rowCount)")
        }
        guard !schema.isEmpty else { throw StoreError.schema(path: path, reason: "schema has no columns") }
        var seen = Set<String>()
        for spec in schema {
            if let problem = spec.validationProblem { throw StoreError.schema(path: path, reason: problem) }
            guard seen.insert(spec.name).inserted else {
                throw StoreError.schema(path: path, reason: "column '\(spec.name)' appears twice")
            }
            if seen.contains(where: { spec.name.hasPrefix($0 + "/") || $0.hasPrefix(spec.name + "/") }) {
                throw StoreError.schema(path: path, reason: "column '\(spec.name)' nests inside another column")
            }
        }
        for spec in schema where spec.isVariableLength && seen.contains(spec.offsetsName) {
            throw StoreError.schema(path: path, reason: "column '\(spec.offsetsName)' would be the offsets of variable-length '\(spec.name)'")
        }
        try DurableFile.makeDirectory(directory)

        let file = try HDF5File.create(path: path)
        self.file = file
        for key in attributes.keys.sorted() {
            try HDF5Attribute.writeString(attributes[key] ?? "", named: key, on: file.id, path: path)
        }
        var createdGroups = Set<String>()
        for spec in schema {
            let components = spec.name.split(separator: "/").map(String.init)
            var prefix = ""
            for component in components.dropLast() {
                prefix = prefix.isEmpty ? component : prefix + "/" + component
                if createdGroups.insert(prefix).inserted {
                    _ = try HDF5Group.create(in: file.id, name: prefix, path: path)
                }
            }
            if spec.isVariableLength {
                variableColumns[spec.name] = try VariableLengthColumnWriter(spec: spec, in: file, path: path)
                continue
            }
            columns[spec.name] = try Self.createColumn(spec, rowCount: rowCount, in: file, path: path)
            if spec.rowShape.isEmpty {
                scalarBuffers[spec.name] = ScalarChunkBuffer(chunkRows: spec.chunkShape(rowCount: rowCount)[0], rowCount: rowCount)
            }
        }
    }

    deinit {
        guard !committed else { return }
        columns.removeAll()
        variableColumns.removeAll()
        file = nil
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func createColumn(_ spec: ColumnSpec, rowCount: Int, in file: HDF5File,
                                     path: String) throws -> OpenColumn {
        let fileType: hid_t
        let memoryType: hid_t
        var stringType: HDF5Datatype?
        switch spec.dtype {
        case .float32: (fileType, memoryType) = (ap_H5T_IEEE_F32LE(), ap_H5T_NATIVE_FLOAT())
        case .int32: (fileType, memoryType) = (ap_H5T_STD_I32LE(), ap_H5T_NATIVE_INT32())
        case .int64: (fileType, memoryType) = (ap_H5T_STD_I64LE(), ap_H5T_NATIVE_INT64())
        case .uint64: (fileType, memoryType) = (ap_H5T_STD_U64LE(), ap_H5T_NATIVE_UINT64())
        case .string:
            let type = try HDF5Datatype.variableLengthUTF8(path: path)
            stringType = type
            (fileType, memoryType) = (type.id, type.id)
        }
        // A zero-row dataset needs an extendible row axis: HDF5 refuses chunks larger than a
        // fixed dimension. Such files occur for empty view segments.
        let space = try HDF5Dataspace.simple([rowCount] + spec.rowShape, unlimitedFirst: rowCount == 0, path: path)
        let creation = try HDF5PropertyList(class: ap_H5P_DATASET_CREATE(), path: path)
        try creation.setChunk(spec.chunkShape(rowCount: rowCount))
        try creation.disableTimeTracking()
        try creation.allocateChunksEarly(skipFill: spec.dtype != .string)
        let dataset = try HDF5Dataset.create(in: file.id, name: spec.name, type: fileType, space: space,
                                             creation: creation, path: path)
        return OpenColumn(spec: spec, dataset: dataset, fileSpace: try dataset.space(),
                          rowSpace: try HDF5Dataspace.simple([1] + spec.rowShape, path: path),
                          memoryType: memoryType, stringType: stringType)
    }

    /// Writes row `index`. The row must hold exactly the schema's columns with matching types and
    /// element counts; each row may be written once.
    public func write(row: ShardRow, at index: Int) throws {
        guard !committed, file != nil else {
            throw StoreError.invalidState(path: path, reason: "write after commit")
        }
        guard index >= 0, index < rowCount else {
            throw StoreError.rowOutOfRange(path: path, index: index, rowCount: rowCount)
        }
        guard !written[index] else {
            throw StoreError.invalidState(path: path, reason: "row \(index) written twice")
        }
        if !variableColumns.isEmpty, index != writtenCount {
            throw StoreError.invalidState(path: path, reason:
                "row \(index) written before row \(writtenCount): variable-length columns are appended in row order")
        }
        if let extra = row.values.keys.sorted().first(where: { columns[$0] == nil && variableColumns[$0] == nil }) {
            throw StoreError.schema(path: path, reason: "row \(index) has column '\(extra)' not in the schema")
        }
        // Every value is checked before any is written or buffered, so a refused row leaves no trace.
        for spec in schema {
            guard let value = row.values[spec.name], columns[spec.name] != nil || variableColumns[spec.name] != nil else {
                throw StoreError.schema(path: path, reason: "row \(index) lacks column '\(spec.name)'")
            }
            try check(value, for: spec, at: index)
        }
        for spec in schema {
            if let variable = variableColumns[spec.name], case let .float32(values)? = row.values[spec.name] {
                try variable.append(values)
                continue
            }
            guard let value = row.values[spec.name], let column = columns[spec.name] else { continue }
            if scalarBuffers[spec.name] != nil {
                // Mutated in place (through the dictionary), not copied out and back.
                if let complete = scalarBuffers[spec.name]?.add(value, row: index) {
                    try writeScalars(complete.values, to: column, start: complete.start)
                }
            } else {
                try write(value, to: column, at: index)
            }
        }
        if schema.contains(where: { $0.name == "meta/id" && $0.dtype == .string }) {
            ids.append(row.string("meta/id") ?? "")
        }
        written[index] = true
        writtenCount += 1
    }

    /// Checks a value's type (and a float's element count, a string's text) before it is written or buffered.
    private func check(_ value: ColumnValue, for spec: ColumnSpec, at index: Int) throws {
        guard value.dtype == spec.dtype else {
            throw StoreError.schema(path: path, reason:
                "row \(index), column '\(spec.name)': expected \(spec.dtype.rawValue), got \(value.dtype.rawValue)")
        }
        if case let .float32(values) = value, let variable = variableColumns[spec.name] {
            if case let .failure(problem) = variable.frames(ofElements: values.count) {
                throw StoreError.schema(path: path, reason: "row \(index): \(problem)")
            }
        } else if case let .float32(values) = value, values.count != spec.elementsPerRow {
            throw StoreError.schema(path: path, reason:
                "row \(index), column '\(spec.name)': \(values.count) values for shape \(spec.rowShape)")
        }
        if case let .string(text) = value, text.utf8.contains(0) {
            throw StoreError.schema(path: path, reason: "row \(index), column '\(spec.name)': text contains NUL")
        }
    }

    /// Writes the consecutive rows `start...` of a scalar column with one HDF5 call.
    private func writeScalars(_ values: [ColumnValue], to column: OpenColumn, start: Int) throws {
        let file = try column.dataset.space()
        try file.selectHyperslab(start: [start], count: [values.count])
        let memory = try HDF5Dataspace.simple([values.count], path: path)
        func write<T>(_ typed: [T]) throws {
            try typed.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                try column.dataset.write(memoryType: column.memoryType, memory: memory, file: file, buffer: base)
            }
        }
        switch column.spec.dtype {
        case .float32: try write(values.map { $0.floats?.first ?? 0 })
        case .int32: try write(values.map { $0.int32 ?? 0 })
        case .int64: try write(values.map { $0.int64 ?? 0 })
        case .uint64: try write(values.map { $0.uint64 ?? 0 })
        case .string:
            // strdup'ed copies: C strings that stay valid for the whole call, freed after it.
            let pointers: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0.string ?? "") }
            defer { pointers.forEach { free($0) } }
            try write(pointers)
        }
    }

    private func write(_ value: ColumnValue, to column: OpenColumn, at index: Int) throws {
        let spec = column.spec
        try check(value, for: spec, at: index)
        try column.fileSpace.selectHyperslab(start: [index] + spec.rowShape.map { _ in 0 }, count: [1] + spec.rowShape)
        let write = { (buffer: UnsafeRawPointer) in
            try column.dataset.write(memoryType: column.memoryType, memory: column.rowSpace,
                                     file: column.fileSpace, buffer: buffer)
        }
        switch value {
        case let .float32(values):
            guard values.count == spec.elementsPerRow else {
                throw StoreError.schema(path: path, reason:
                    "row \(index), column '\(spec.name)': \(values.count) values for shape \(spec.rowShape)")
            }
            try values.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                try write(base)
            }
        case let .int32(scalar): try writeScalar(scalar, using: write)
        case let .int64(scalar): try writeScalar(scalar, using: write)
        case let .uint64(scalar): try writeScalar(scalar, using: write)
        case let .string(text):
            guard !text.utf8.contains(0) else {
                throw StoreError.schema(path: path, reason: "row \(index), column '\(spec.name)': text contains NUL")
            }
            try text.withCString { characters in
                let pointer: UnsafePointer<CChar>? = characters
                try writeScalar(pointer, using: write)
            }
        }
    }

    /// Passes the bytes of one scalar (a number, or the `char *` of a variable-length string) to
    /// `write`.
    private func writeScalar<T>(_ scalar: T, using write: (UnsafeRawPointer) throws -> Void) throws {
        var copy = scalar
        try withUnsafeBytes(of: &copy) { buffer in
            guard let base = buffer.baseAddress else {
                throw StoreError.invalidState(path: path, reason: "empty scalar buffer")
            }
            try write(base)
        }
    }

    /// Commits the rows written so far when fewer than `rowCount` arrived: a shard streamed row by
    /// row (`StoreFolder.beginShard`) is created for every planned row before it is known which
    /// will be rejected. The rows written must be `0 ..< n`; every dataset is shrunk to them.
    @discardableResult
    public func commitWritten(summary: ShardSummary = ShardSummary()) throws -> ShardInfo {
        guard !committed, file != nil else {
            throw StoreError.invalidState(path: path, reason: "commit called twice")
        }
        if writtenCount < rowCount {
            if let gap = written[..<writtenCount].firstIndex(of: false) {
                throw StoreError.invalidState(path: path, reason: "row \(gap) never written, yet \(writtenCount) rows were")
            }
            for spec in schema {
                guard let column = columns[spec.name] else { continue }
                try column.dataset.setExtent([writtenCount] + spec.rowShape)
                for chunk in scalarBuffers[spec.name]?.drain() ?? [] {
                    try writeScalars(chunk.values, to: column, start: chunk.start)
                }
            }
            scalarBuffers.removeAll()
            rowCount = writtenCount
            written = Array(written.prefix(writtenCount))
        }
        return try commit(summary: summary)
    }

    /// Finishes the shard: checks every row was written, closes and fsyncs the file, renames it
    /// to `<name>.h5`, fsyncs the directory, hashes the file and writes the sidecar, which also
    /// carries `summary` (what a store's finalize step needs: plan rows, counts, rejections).
    ///
    /// The returned `file` is relative to `directory` (use `inFolder("shards")` for a manifest).
    @discardableResult
    public func commit(summary: ShardSummary = ShardSummary()) throws -> ShardInfo {
        guard !committed, let file else {
            throw StoreError.invalidState(path: path, reason: "commit called twice")
        }
        if writtenCount != rowCount, let missing = written.firstIndex(of: false) {
            throw StoreError.invalidState(path: path, reason:
                "\(rowCount - writtenCount) of \(rowCount) rows never written (first: row \(missing))")
        }
        for spec in schema { try variableColumns[spec.name]?.finish() }
        variableColumns.removeAll()
        columns.removeAll()
        self.file = nil
        try file.close()
        try DurableFile.fsync(path: path)
        try DurableFile.rename(path, to: finalURL.path)
        committed = true
        try DurableFile.fsync(path: directory.path, directory: true)
        let digest = try VerifiedFiles.digest(of: finalURL)
        let info = ShardInfo(file: name + ".h5", rows: rowCount, sha256: digest.sha256, bytes: digest.bytes)
        let sidecar = ShardSidecar(name: name, info: info, ids: ids, columns: schema, summary: summary)
        try DurableFile.writeJSON(sidecar, to: sidecarURL)
        self.sidecar = sidecar
        return info
    }
}
