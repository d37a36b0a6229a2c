import Foundation

/// Writes a view: a selection of a parent's rows plus column files of new or replaced columns,
/// and a manifest of kind "view". No feature is copied.
///
/// Rows are appended in selection order; the writer starts a column file
/// (`columns/<stage>-<token>-NNNNN.h5`, one per parent segment, row-aligned with the selection) as
/// the rows cross into each parent segment, so memory holds one row at a time. The token is derived
/// from the view's config hash and its parent's identity: a view written over an older view of
/// another config or parent never writes over the old view's column files, and the old manifest
/// stays valid with its own files until the new manifest replaces it atomically. Only then are the
/// old view's files removed; an interrupted writer leaves the old view intact and readable.
///
/// The output folder is checked first (`OutputFolder.claimForView`): a store, a view of another
/// config or files that are not a view's are refused unless `overwrite`.
///
/// ```swift
/// let view = try ViewWriter(parent: store, directory: out, stage: "labels", configHash: hash,
///                           rows: [0, 2, 5], columns: [ColumnSpec(name: "meta/label", dtype: .int32)])
/// for label in [3, 1, 4] { try view.append(["meta/label": .int32(label)]) }
/// let manifest = try view.commit { $0.classes = newClasses }
/// ```
///
/// `commit` writes `<directory>/manifest.json` last, naming the parent by a relative path and
/// recording its identity (`ParentIdentity`), which every later open checks.
public final class ViewWriter {
    public let parent: StoreReader
    public let directory: URL
    public let stage: String
    /// The view's own columns (overrides of parent columns and additions).
    public let columns: [ColumnSpec]
    /// The number of rows the view keeps.
    public let rowCount: Int
    /// The view's config hash (its stage parameters and its parent's config).
    public let configHash: String

    private let parentIdentity: ParentIdentity
    private let output: OutputFolder
    private let token: String

    private let selection: [[Int]]
    private var segment = 0
    private var rowInSegment = 0
    private var writer: ShardWriter?
    private var files: [ShardInfo] = []
    private var appended = 0

    /// Prepares a view of `parent` keeping the parent rows `rows` (strictly increasing, in the
    /// parent's numbering), with values for `columns` supplied row by row through `append`.
    public init(parent: StoreReader, directory: URL, stage: String, configHash: String, rows: [Int],
                columns: [ColumnSpec], overwrite: Bool = false) throws {
        self.parent = parent
        self.directory = directory
        self.stage = stage
        self.columns = columns
        self.rowCount = rows.count
        self.configHash = configHash
        let manifestPath = directory.appendingPathComponent(Manifest.fileName).path
        guard !stage.isEmpty, !stage.contains("/") else {
            throw StoreError.schema(path: manifestPath, reason: "stage '\(stage)' must be a plain name")
        }
        var ancestor: StoreReader? = parent
        while let current = ancestor {
            guard directory.standardizedFileURL.path != current.directory.standardizedFileURL.path else {
                throw StoreError.invalidState(path: manifestPath, reason: "a view cannot be written into the folder of its parent or an ancestor")
            }
            ancestor = current.parent
        }
        if zip(rows, rows.dropFirst()).contains(where: { $0 >= $1 }) {
            throw StoreError.schema(path: manifestPath, reason: "selected rows must be strictly increasing")
        }
        if let bad = rows.first(where: { $0 < 0 || $0 >= parent.rowCount }) {
            throw StoreError.rowOutOfRange(path: parent.manifestURL.path, index: bad, rowCount: parent.rowCount)
        }
        var perSegment: [[Int]] = Array(repeating: [], count: parent.segmentCount)
        var current = 0
        for row in rows {
            while !parent.segmentRange(current).contains(row) { current += 1 }
            perSegment[current].append(row - parent.segmentRange(current).lowerBound)
        }
        selection = perSegment
        parentIdentity = try parent.manifest.identity()
        token = String(SHA256Hasher.hex(of: Data((configHash + "\n" + parentIdentity.contentSHA256).utf8)).prefix(8))
        output = try OutputFolder(root: directory)
        try output.claimForView(configHash: configHash, overwrite: overwrite)
    }

    /// Supplies the view's column values for the next selected row.
    public func append(_ row: ShardRow) throws {
        guard appended < rowCount else {
            throw StoreError.invalidState(path: directory.path, reason: "more rows appended than selected (\(rowCount))")
        }
        try finishSegments(untilRowAvailable: true)
        guard let writer else {
            throw StoreError.invalidState(path: directory.path, reason: "no open column file")
        }
        try writer.write(row: row, at: rowInSegment)
        rowInSegment += 1
        appended += 1
    }

    /// Commits the remaining column files and writes the view's manifest. `configure` adjusts the
    /// manifest before it is written (new `classes`, `counts`, `parameters`, `configHash` …); it
    /// starts as a copy of the parent's with the view fields filled in.
    @discardableResult
    public func commit(_ configure: (inout Manifest) throws -> Void = { _ in }) throws -> Manifest {
        guard appended == rowCount else {
            throw StoreError.invalidState(path: directory.path, reason: "\(appended) of \(rowCount) rows appended")
        }
        try finishSegments(untilRowAvailable: false)

        let parentColumns = parent.columns
        let overridden = columns.map(\.name).filter { name in parentColumns.contains { $0.name == name } }
        let added = columns.map(\.name).filter { !overridden.contains($0) }
        var merged = parentColumns.map { spec in columns.first { $0.name == spec.name } ?? spec }
        merged += columns.filter { added.contains($0.name) }

        var manifest = parent.manifest
        manifest.schemaVersion = Manifest.currentSchemaVersion
        manifest.kind = .view
        manifest.libraries = parent.manifest.libraries.merging(LibraryVersions.current()) { _, current in current }
        manifest.parameters = [:]
        manifest.columns = merged
        manifest.counts = []
        manifest.shards = []
        manifest.rejected = []
        manifest.clipLengths = nil
        manifest.rowCount = rowCount
        manifest.parent = RelativePath.from(directory, to: parent.manifestURL)
        manifest.selection = zip(parent.segmentInfos, selection).map { ViewSelection(parentFile: $0.file, rows: $1) }
        manifest.columnFiles = files
        manifest.overriddenColumns = overridden
        manifest.addedColumns = added
        manifest.parentIdentity = parentIdentity
        manifest.files = nil
        manifest.configHash = configHash
        try configure(&manifest)
        let manifestURL = directory.appendingPathComponent(Manifest.fileName)
        if let problem = manifest.validationProblem {
            throw StoreError.invalidManifest(path: manifestURL.path, reason: problem)
        }
        try manifest.write(to: manifestURL)
        // The new view is complete and in place: now the old view's (or replaced store's) files go.
        var keep: Set<String> = [Manifest.fileName]
        for file in files {
            keep.insert(file.file)
            keep.insert(String(file.file.dropLast(3)) + ".json")
        }
        try output.removeOwnFiles(except: keep.union(output.ownFiles.filter { $0.hasPrefix("reports/") }))
        return manifest
    }

    /// Commits full column files and opens the next one, until a segment with room for another
    /// row is open (`untilRowAvailable`) or every segment is committed.
    private func finishSegments(untilRowAvailable: Bool) throws {
        while segment < selection.count {
            if writer == nil {
                writer = try ShardWriter(
                    directory: directory.appendingPathComponent("columns"),
                    name: Self.fileName(stage: stage, token: token, segment: segment), schema: columns,
                    rowCount: selection[segment].count,
                    attributes: ["schema_version": String(Manifest.currentSchemaVersion), "stage": stage,
                                 "pipeline": parent.manifest.pipeline, "parent_config_hash": parent.manifest.configHash])
                rowInSegment = 0
            }
            if untilRowAvailable, rowInSegment < selection[segment].count { return }
            guard let current = writer else { return }
            files.append(try current.commit().inFolder("columns"))
            writer = nil
            segment += 1
        }
    }

    /// "<stage>-<token>-NNNNN", the column file name of a segment (five digits, like shard names).
    static func fileName(stage: String, token: String, segment: Int) -> String {
        let number = String(segment)
        return stage + "-" + token + "-" + String(repeating: "0", count: max(0, 5 - number.count)) + number
    }
}
