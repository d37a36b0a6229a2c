import Foundation

/// Opens a store or a view by its manifest and presents it as one table.
///
/// For a store, rows are its shards' rows in order. For a view, rows are the parent rows it
/// selected, in order; a column the view's own column files provide (override or addition) is read
/// from them, every other column from the parent, recursively down to the store. Shard files are
/// opened on first use.
///
/// ```swift
/// let table = try StoreReader(manifest: URL(fileURLWithPath: "out/asc10"))
/// let row = try table.readRow(0, columns: ["meta/id", "meta/label", "features/logmel"])
/// let labels = try table.readInt32("meta/label")        // index into table.classes
/// let report = table.verify()                           // recompute every SHA-256
/// ```
///
/// Row segments: a store's segments are its shards; a view's are its selections (one per parent
/// segment). See `ViewSelection`.
public final class StoreReader {
    /// The manifest file.
    public let manifestURL: URL
    public let manifest: Manifest
    /// The parent table, for a view.
    public let parent: StoreReader?

    /// The directory holding the manifest; file paths in the manifest are relative to it.
    public var directory: URL { manifestURL.deletingLastPathComponent() }
    public var rowCount: Int { manifest.rowCount }
    public var columns: [ColumnSpec] { manifest.columns }
    public var classes: [String] { manifest.classes }
    /// The number of row segments (shards for a store, selections for a view).
    public var segmentCount: Int { segmentFiles.count }

    private let segmentFiles: [ShardInfo]
    private let segmentStarts: [Int]
    private let ownColumns: Set<String>
    private let columnNames: Set<String>
    private var openFiles: [Int: ShardReader] = [:]
    private let cacheLock = NSLock()

    /// Opens the manifest at `url` (the file or its directory), and for a view its parents.
    public convenience init(manifest url: URL) throws {
        try self.init(manifest: url, visited: [])
    }

    private init(manifest url: URL, visited: Set<String>) throws {
        let file = Manifest.fileURL(for: url).standardizedFileURL
        guard !visited.contains(file.path) else {
            throw StoreError.invalidManifest(path: file.path, reason: "a view is its own ancestor")
        }
        let manifest = try Manifest.load(from: file)
        if let problem = manifest.validationProblem {
            throw StoreError.invalidManifest(path: file.path, reason: problem)
        }
        manifestURL = file
        self.manifest = manifest
        columnNames = Set(manifest.columns.map(\.name))
        switch manifest.kind {
        case .store:
            parent = nil
            segmentFiles = manifest.shards
            ownColumns = columnNames
        case .view:
            let parentPath = manifest.parent ?? ""
            let parentURL = parentPath.hasPrefix("/")
                ? URL(fileURLWithPath: parentPath)
                : file.deletingLastPathComponent().appendingPathComponent(parentPath)
            let parent: StoreReader
            do {
                parent = try StoreReader(manifest: parentURL, visited: visited.union([file.path]))
            } catch let StoreError.staleView(view, ancestor, reason) {
                throw StoreError.staleView(view: file.path, ancestor: ancestor, reason: "\(reason); via \(view)")
            }
            if let recorded = manifest.parentIdentity {
                let current = try parent.manifest.identity()
                if recorded.configHash != current.configHash {
                    throw StoreError.staleView(view: file.path, ancestor: parent.manifestURL.path, reason:
                        "config hash \(recorded.configHash.prefix(12))… when the view was made, now \(current.configHash.prefix(12))…")
                }
                if recorded.contentSHA256 != current.contentSHA256 {
                    throw StoreError.staleView(view: file.path, ancestor: parent.manifestURL.path, reason:
                        "same config hash, but its rows or files changed")
                }
            }
            let selection = manifest.selection ?? []
            guard selection.count == parent.segmentCount else {
                throw StoreError.invalidManifest(path: file.path, reason:
                    "\(selection.count) selections for a parent with \(parent.segmentCount) segments")
            }
            for (segment, kept) in selection.enumerated() {
                let available = parent.segmentRange(segment).count
                if let last = kept.rows.last, last >= available {
                    throw StoreError.invalidManifest(path: file.path, reason:
                        "selection \(segment) keeps row \(last) of a parent segment with \(available) rows")
                }
            }
            self.parent = parent
            segmentFiles = manifest.columnFiles ?? []
            ownColumns = Set((manifest.overriddenColumns ?? []) + (manifest.addedColumns ?? []))
        }
        var starts = [0]
        for info in segmentFiles { starts.append((starts.last ?? 0) + info.rows) }
        segmentStarts = starts
    }

    /// The file backing each segment (shards for a store, column files for a view).
    var segmentInfos: [ShardInfo] { segmentFiles }

    /// The rows (in this table's numbering) of segment `segment`.
    public func segmentRange(_ segment: Int) -> Range<Int> {
        segmentStarts[segment]..<segmentStarts[segment + 1]
    }

    /// Reads row `index`: all columns, or only `columns` when given.
    public func readRow(_ index: Int, columns names: [String]? = nil) throws -> ShardRow {
        guard index >= 0, index < rowCount else {
            throw StoreError.rowOutOfRange(path: manifestURL.path, index: index, rowCount: rowCount)
        }
        let names = names ?? manifest.columns.map(\.name)
        try requireColumns(names)
        let (segment, local) = locate(index)
        let own = names.filter { ownColumns.contains($0) }
        var row = own.isEmpty ? ShardRow() : try segmentFile(segment).readRow(local, columns: own)
        if let parent, own.count < names.count {
            let inherited = names.filter { !ownColumns.contains($0) }
            let parentRow = parent.segmentRange(segment).lowerBound + (manifest.selection?[segment].rows[local] ?? 0)
            row = try parent.readRow(parentRow, columns: inherited).merging(row)
        }
        return row
    }

    /// Reads every row of column `name`, segment by segment.
    public func readColumn(_ name: String) throws -> [ColumnValue] {
        try requireColumns([name])
        var values: [ColumnValue] = []
        values.reserveCapacity(rowCount)
        for segment in 0..<segmentCount { values += try segmentValues(segment, name) }
        return values
    }

    /// Reads a string column.
    public func readStrings(_ name: String) throws -> [String] {
        try typed(name, .string) { $0.string }
    }

    /// Reads an int32 column.
    public func readInt32(_ name: String) throws -> [Int32] {
        try typed(name, .int32) { $0.int32 }
    }

    /// Reads an int64 column.
    public func readInt64(_ name: String) throws -> [Int64] {
        try typed(name, .int64) { $0.int64 }
    }

    /// Reads a uint64 column.
    public func readUInt64(_ name: String) throws -> [UInt64] {
        try typed(name, .uint64) { $0.uint64 }
    }

    /// Checks every file this table rests on and reports each problem, never throwing: the manifest
    /// (re-read: its own checksum), every file it lists (catalog, plan, reports) and every shard or
    /// column file with its sidecar, by SHA-256 and size; then the same for each ancestor. A missing
    /// file is a failure naming it. A view's parent identity is checked when the view is opened.
    public func verify() -> VerificationReport {
        var report = parent?.verify() ?? VerificationReport()
        report.checked.append(manifestURL.path)
        do {
            let current = try Manifest.load(from: manifestURL)
            if current.checksum == nil {
                report.failures.append(.init(path: manifestURL.path, reason:
                    "has no checksum (written by an older version): its content cannot be verified; rebuild it"))
            } else if current != manifest {
                report.failures.append(.init(path: manifestURL.path, reason: "changed since it was opened"))
            }
        } catch {
            report.failures.append(.init(path: manifestURL.path, reason: "\(error)"))
        }
        if manifest.kind == .view, manifest.parentIdentity == nil {
            report.failures.append(.init(path: manifestURL.path, reason:
                "records no parent identity (written by an older version): whether its parent changed cannot be checked; rebuild the view"))
        }
        for file in manifest.files ?? [] {
            check(directory.appendingPathComponent(file.file), sha256: file.sha256, bytes: file.bytes, into: &report)
        }
        for info in segmentFiles {
            let url = directory.appendingPathComponent(info.file)
            check(url, sha256: info.sha256, bytes: info.bytes, into: &report)
            let sidecarURL = ShardSidecar.url(besides: url)
            report.checked.append(sidecarURL.path)
            do {
                let sidecar = try ShardSidecar.load(from: sidecarURL)
                if sidecar.sha256 != info.sha256 || sidecar.rows != info.rows {
                    report.failures.append(.init(path: sidecarURL.path, reason:
                        "sidecar says \(sidecar.rows) rows, SHA-256 \(sidecar.sha256 ?? "none"); manifest says \(info.rows) rows, \(info.sha256)"))
                }
            } catch {
                report.failures.append(.init(path: sidecarURL.path, reason: "\(error)"))
            }
        }
        return report
    }

    private func check(_ url: URL, sha256: String, bytes: Int, into report: inout VerificationReport) {
        report.checked.append(url.path)
        do {
            let digest = try FileDigest.of(url)
            if digest.bytes != bytes {
                report.failures.append(.init(path: url.path, reason: "size \(digest.bytes) bytes, manifest says \(bytes)"))
            } else if digest.sha256 != sha256 {
                report.failures.append(.init(path: url.path, reason:
                    "\(StoreError.checksumMismatch(path: url.path, expected: sha256, actual: digest.sha256))"))
            }
        } catch {
            report.failures.append(.init(path: url.path, reason: "\(error)"))
        }
    }

    private func typed<T>(_ name: String, _ dtype: ColumnType, _ extract: (ColumnValue) -> T?) throws -> [T] {
        guard let spec = manifest.columns.first(where: { $0.name == name }), spec.dtype == dtype else {
            throw StoreError.schema(path: manifestURL.path, reason: "column '\(name)' is not a \(dtype.rawValue) column")
        }
        return try readColumn(name).map { value in
            guard let typed = extract(value) else {
                throw StoreError.schema(path: manifestURL.path, reason: "column '\(name)' holds \(value.dtype.rawValue) values")
            }
            return typed
        }
    }

    /// The values of column `name` for the rows of `segment`.
    private func segmentValues(_ segment: Int, _ name: String) throws -> [ColumnValue] {
        if ownColumns.contains(name) { return try segmentFile(segment).readColumn(name) }
        guard let parent, let rows = manifest.selection?[segment].rows else { return [] }
        let values = try parent.segmentValues(segment, name)
        return rows.map { values[$0] }
    }

    private func requireColumns(_ names: [String]) throws {
        if let unknown = names.first(where: { !columnNames.contains($0) }) {
            throw StoreError.schema(path: manifestURL.path, reason: "no column '\(unknown)'")
        }
    }

    /// The segment holding row `index` and the row's position inside it (binary search).
    private func locate(_ index: Int) -> (segment: Int, local: Int) {
        var low = 0
        var high = segmentCount - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if segmentStarts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return (low, index - segmentStarts[low])
    }

    /// The open file of `segment`, opened on first use: its SHA-256 is checked against the
    /// manifest's (once per process, `VerifiedFiles`) before HDF5 reads it, and its datasets against
    /// the manifest's schema and row count, so a damaged shard is refused by name, never read.
    private func segmentFile(_ segment: Int) throws -> ShardReader {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let reader = openFiles[segment] { return reader }
        let info = segmentFiles[segment]
        let expected = manifest.columns.filter { ownColumns.contains($0.name) }
        let reader = try ShardReader(url: directory.appendingPathComponent(info.file), verifying: info, columns: expected)
        guard reader.rowCount == info.rows else {
            throw StoreError.invalidManifest(path: manifestURL.path, reason:
                "\(info.file) has \(reader.rowCount) rows, manifest says \(info.rows)")
        }
        openFiles[segment] = reader
        return reader
    }

    /// Opens every file this table reads, its ancestors' included, checking each against its
    /// manifest (SHA-256, schema, rows) as a read would; for tools such as `pipe info` that must not
    /// describe a store they could not read.
    public func openSegments() throws {
        try parent?.openSegments()
        for segment in 0..<segmentCount { _ = try segmentFile(segment) }
    }
}
