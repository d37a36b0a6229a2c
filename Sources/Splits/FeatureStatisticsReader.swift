import Store

/// Reads the statistics vectors of chosen rows of a store or view, one row's feature at a time
/// (a feature row is ~128 KiB; a store's features are never held whole).
enum FeatureStatisticsReader {
    /// The feature column of `reader` to use: `requested`, or the only `features/` column.
    static func column(_ reader: StoreReader, requested: String?) throws -> ColumnSpec {
        let path = reader.manifestURL.path
        let features = reader.columns.filter { $0.name.hasPrefix("features/") && $0.dtype == .float32 }
        if let requested {
            guard let spec = reader.columns.first(where: { $0.name == requested }) else {
                throw SplitError.input(path: path, reason: "no column '\(requested)' (features: \(features.map(\.name).joined(separator: ", ")))")
            }
            guard spec.dtype == .float32, spec.rowShape.count >= 2 else {
                throw SplitError.input(path: path, reason: "column '\(requested)' is not a float32 [.., frames, bands] feature")
            }
            return spec
        }
        guard features.count == 1, let only = features.first, only.rowShape.count >= 2 else {
            throw SplitError.input(path: path, reason: features.isEmpty
                ? "no features/ column to compare"
                : "\(features.count) feature columns (\(features.map(\.name).joined(separator: ", "))): choose one with --feature")
        }
        return only
    }

    /// The statistics vector of each of `rows`; a non-finite feature value is refused naming the row.
    static func vectors(_ reader: StoreReader, rows: [Int], spec: ColumnSpec, statistics: [DomainStatistic],
                        ids: [String]) throws -> [[Double]] {
        try rows.map { row in
            guard let values = try reader.readRow(row, columns: [spec.name]).floats(spec.name) else {
                throw SplitError.row(path: reader.manifestURL.path, row: row, id: ids[row], reason: "no \(spec.name) values")
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw SplitError.row(path: reader.manifestURL.path, row: row, id: ids[row], reason:
                    "\(spec.name) holds \(values[bad]) at element \(bad)")
            }
            let shape = spec.isVariableLength ? spec.rowShape(frames: values.count / max(1, spec.elementsPerFrame)) : spec.rowShape
            return DomainStatistic.vector(of: values, shape: shape, statistics: statistics)
        }
    }
}
