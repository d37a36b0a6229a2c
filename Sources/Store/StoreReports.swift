import Foundation

/// The `reports/` tables of a store or view, and its dataset card (`README.md`), written once its
/// manifest is: plain CSV, so a researcher sees the class balance, the rejected files, the clip
/// lengths and the normalisation statistics without writing code.
///
/// | file | rows |
/// |---|---|
/// | `reports/class_counts.csv` | `corpus,class,split,corpus_split,rows` per corpus x class x split (class empty = unlabeled) |
/// | `reports/rejected.csv` | `path,line,stage,reason,rows`, one per rejected input and reason, with the planned rows it cost (a view rejects none) |
/// | `reports/durations.csv` | `corpus,split,sample_rate,rows,padded,truncated,exact,min_seconds,mean_seconds,max_seconds` |
/// | `reports/feature_stats.csv` | `feature,channel,bin,count,mean,std` over the `train` rows (`FeatureStatistics`) |
///
/// Every table is a function of the manifest and its rows (`StoreReader`); a table whose columns
/// the store lacks is not written. Scalar columns are read whole (a few bytes per row); features
/// are streamed one row at a time, so memory does not grow with the store.
public enum StoreReports {
    /// The folder, beside the manifest.
    public static let folder = "reports"

    /// Writes the reports and the card of the store or view whose manifest is `manifest` (the file
    /// or its folder), and returns the files written, relative to that folder.
    @discardableResult
    public static func write(for manifest: URL) throws -> [String] {
        try write(reader: try StoreReader(manifest: manifest))
    }

    /// Writes the reports and the card of `reader`'s store or view.
    @discardableResult
    public static func write(reader: StoreReader) throws -> [String] {
        var tables: [(name: String, header: [String], rows: [[String]])] = []
        if let rows = try classCounts(reader) { tables.append(("class_counts.csv", classCountsHeader, rows)) }
        tables.append(("rejected.csv", rejectedHeader, rejected(reader.manifest)))
        if let rows = try durations(reader) { tables.append(("durations.csv", durationsHeader, rows)) }
        if let rows = try featureStatistics(reader) { tables.append(("feature_stats.csv", featureStatsHeader, rows)) }

        let directory = reader.directory.appendingPathComponent(folder)
        try DurableFile.makeDirectory(directory)
        var written: [String] = []
        for table in tables {
            let url = directory.appendingPathComponent(table.name)
            try DurableFile.write(try CSVText.render(header: table.header, rows: table.rows, path: url.path), to: url)
            written.append(folder + "/" + table.name)
        }
        let card = reader.directory.appendingPathComponent(DatasetCard.fileName)
        try DurableFile.write(Data(DatasetCard.markdown(for: reader.manifest, reports: written).utf8), to: card)
        written.append(DatasetCard.fileName)
        return written
    }
}
