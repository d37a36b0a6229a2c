import Foundation
import Store

/// Where one column of a table lives, segment by segment: the file that holds it and, for a view
/// that inherits it, which row of that file each of the view's rows is.
///
/// Why resolve down to files: `StoreReader.readRow` walks the view chain once per row and column;
/// a batch wants one gathered read per file, so the stream maps its rows to file rows once.
struct ColumnSource {
    struct Segment {
        let url: URL
        let sha256: String
        let bytes: Int
        /// File row of each segment row; nil when they are the same.
        let rowMap: [Int]?

        func fileRow(_ local: Int) -> Int { rowMap?[local] ?? local }
    }

    let column: String
    let segments: [Segment]

    init(table: StoreReader, column: String) throws {
        self.column = column
        self.segments = try Self.resolve(table, column)
    }

    private static func resolve(_ table: StoreReader, _ column: String) throws -> [Segment] {
        let manifest = table.manifest
        let own: Bool
        switch manifest.kind {
        case .store: own = true
        case .view: own = (manifest.overriddenColumns ?? []).contains(column) || (manifest.addedColumns ?? []).contains(column)
        }
        if own {
            let files = manifest.kind == .store ? manifest.shards : (manifest.columnFiles ?? [])
            return files.map {
                Segment(url: table.directory.appendingPathComponent($0.file), sha256: $0.sha256, bytes: $0.bytes, rowMap: nil)
            }
        }
        guard let parent = table.parent, let selection = manifest.selection else {
            throw StoreError.invalidManifest(path: table.manifestURL.path, reason: "view without a parent selection")
        }
        let inherited = try resolve(parent, column)
        return zip(inherited, selection).map { segment, kept in
            Segment(url: segment.url, sha256: segment.sha256, bytes: segment.bytes,
                    rowMap: kept.rows.map { segment.fileRow($0) })
        }
    }
}
