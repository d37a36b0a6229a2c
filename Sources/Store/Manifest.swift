import Foundation

/// The one entry point of a store or view: `manifest.json`, written last.
///
/// Plain documented data, encoded as pretty JSON with sorted keys so the same store always gives
/// the same bytes. A **store** lists its own `shards`; a **view** names its `parent` manifest, the
/// rows it keeps of each parent segment (`selection`), and small `columnFiles` of its own,
/// row-aligned with the selection, for the columns it overrides or adds. Features are never
/// copied into a view. `StoreReader` turns either kind into one table.
///
/// ```json
/// { "kind": "view", "parent": "../ingest/manifest.json",
///   "selection": [{"parentFile": "shards/part-00000.h5", "rows": [0, 2, 3]}],
///   "columnFiles": [{"file": "columns/labels-00000.h5", "rows": 3, ...}],
///   "overriddenColumns": ["meta/label"], "addedColumns": ["meta/label_coarse"], ... }
/// ```
public struct Manifest: Codable, Equatable, Sendable {
    /// Whether a manifest owns shards or layers columns over a parent.
    public enum Kind: String, Codable, Sendable {
        case store
        case view
    }

    /// The schema version this code writes and reads.
    public static let currentSchemaVersion = 1
    /// The manifest's file name inside a store or view directory.
    public static let fileName = "manifest.json"

    public var schemaVersion: Int
    public var kind: Kind
    /// The pipeline (config) name that produced the store.
    public var pipeline: String
    /// Hash of the resolved configuration; shards carry the same value as an attribute.
    public var configHash: String
    /// The tool and version that wrote this manifest, e.g. "pipe 0.1.0".
    public var createdBy: String
    /// Library name → version (hdf5, sndfile, soxr, fftw, openblas …).
    public var libraries: [String: String]
    /// Every parameter actually used (features, plan, stage options), as the owning module encodes it.
    public var parameters: JSONValue
    /// The full schema a reader sees (for a view: the parent's columns plus its own).
    public var columns: [ColumnSpec]
    /// Class names; index = value of `meta/label`.
    public var classes: [String]
    /// Class lists of other label columns, keyed by column (e.g. "meta/label_coarse": ["indoor", "outdoor"]).
    public var columnClasses: [String: [String]]?
    public var counts: [ClassCount]
    /// A store's shards, in row order (empty for a view; its rows live in the parent's shards).
    public var shards: [ShardInfo]
    public var rejected: [RejectedInput]
    public var rowCount: Int
    /// Store only: clips padded, truncated or rejected as too short by the fixed clip length
    /// (nil for a view, whose `reports/durations.csv` counts its own rows).
    public var clipLengths: ClipLengths?

    /// View only: the parent manifest, relative to this manifest's directory (or absolute).
    public var parent: String?
    /// View only: one entry per parent segment, the parent rows kept.
    public var selection: [ViewSelection]?
    /// View only: the view's column files, one per selection entry, row-aligned with it.
    public var columnFiles: [ShardInfo]?
    /// View only: parent columns whose values the view's column files replace.
    public var overriddenColumns: [String]?
    /// View only: columns the view adds.
    public var addedColumns: [String]?
    /// View only: the parent's identity when the view was made (checked whenever the view is opened).
    public var parentIdentity: ParentIdentity?
    /// Files besides shards and column files (catalog, plan, reports…) with their SHA-256.
    public var files: [StoreFile]?
    /// SHA-256 of this manifest's own content: its canonical JSON (sorted keys, no whitespace) with
    /// this field removed. Set by `write`; `load` refuses a manifest whose content does not match.
    public var checksum: String?

    /// A store manifest; set the view fields (or use `ViewWriter`) for a view.
    public init(kind: Kind = .store, pipeline: String, configHash: String, createdBy: String,
                libraries: [String: String] = LibraryVersions.current(), parameters: JSONValue = [:],
                columns: [ColumnSpec], classes: [String], columnClasses: [String: [String]]? = nil,
                counts: [ClassCount] = [], shards: [ShardInfo] = [], rejected: [RejectedInput] = [],
                rowCount: Int) {
        schemaVersion = Self.currentSchemaVersion
        self.kind = kind
        self.pipeline = pipeline
        self.configHash = configHash
        self.createdBy = createdBy
        self.libraries = libraries
        self.parameters = parameters
        self.columns = columns
        self.classes = classes
        self.columnClasses = columnClasses
        self.counts = counts
        self.shards = shards
        self.rejected = rejected
        self.rowCount = rowCount
    }

    /// The manifest file for `url`: `url` itself if it names a file, else `url/manifest.json`.
    public static func fileURL(for url: URL) -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url.appendingPathComponent(fileName)
        }
        return url
    }

    /// Reads a manifest from its file or its directory, and checks its checksum: a manifest edited
    /// or damaged after it was written is an error naming the file.
    public static func load(from url: URL) throws -> Manifest {
        let file = fileURL(for: url)
        let manifest = try loadUnchecked(from: file)
        if let recorded = manifest.checksum {
            let actual = try manifest.computedChecksum()
            guard recorded == actual else {
                throw StoreError.invalidManifest(path: file.path, reason:
                    "checksum mismatch: the file was edited or damaged after it was written "
                    + "(recorded \(recorded), content hashes to \(actual))")
            }
        }
        return manifest
    }

    /// Reads a manifest without checking its checksum (to decide what a folder holds before
    /// replacing it).
    static func loadUnchecked(from url: URL) throws -> Manifest {
        let file = fileURL(for: url)
        let manifest = try StoreJSON.decode(Manifest.self, from: file)
        guard manifest.schemaVersion <= currentSchemaVersion else {
            throw StoreError.invalidManifest(path: file.path, reason:
                "schema version \(manifest.schemaVersion) is newer than this reader (\(currentSchemaVersion))")
        }
        return manifest
    }

    /// Writes the manifest with its checksum, atomically (temporary file, fsync, rename, directory
    /// fsync), so a reader never sees a partial manifest and a store without a manifest is visibly
    /// unfinished. `url` is the manifest file or its directory.
    public func write(to url: URL) throws {
        let file = url.pathExtension == "json" ? url : url.appendingPathComponent(Self.fileName)
        var sealed = self
        sealed.checksum = try computedChecksum()
        try DurableFile.makeDirectory(file.deletingLastPathComponent())
        try DurableFile.write(try StoreJSON.encode(sealed, path: file.path), to: file)
    }

    /// Reports the first inconsistency a manifest can show on its own (without its parent or
    /// files), or nil. `StoreReader` checks the rest when it opens the parent.
    public var validationProblem: String? {
        switch kind {
        case .store:
            let rows = shards.reduce(0) { $0 + $1.rows }
            if rows != rowCount { return "shards hold \(rows) rows, rowCount says \(rowCount)" }
            if parent != nil || selection != nil || columnFiles != nil { return "a store has view fields" }
        case .view:
            guard parent != nil, let selection, let columnFiles else {
                return "a view needs parent, selection and columnFiles"
            }
            if selection.count != columnFiles.count {
                return "\(selection.count) selections but \(columnFiles.count) column files"
            }
            for (index, (kept, file)) in zip(selection, columnFiles).enumerated() {
                if kept.rows.count != file.rows {
                    return "selection \(index) keeps \(kept.rows.count) rows, \(file.file) has \(file.rows)"
                }
                if zip(kept.rows, kept.rows.dropFirst()).contains(where: { $0 >= $1 }) || kept.rows.contains(where: { $0 < 0 }) {
                    return "selection \(index) rows are not strictly increasing"
                }
            }
            let rows = selection.reduce(0) { $0 + $1.rows.count }
            if rows != rowCount { return "selection keeps \(rows) rows, rowCount says \(rowCount)" }
        }
        if Set(columns.map(\.name)).count != columns.count { return "duplicate column names" }
        return nil
    }
}
