import Foundation

/// The report tables, each a pure function of a store's (or view's) manifest and rows; nil when the
/// columns it needs are absent.
extension StoreReports {
    static let classCountsHeader = ["corpus", "class", "split", "corpus_split", "rows"]
    static let rejectedHeader = ["path", "line", "stage", "reason", "rows"]
    static let durationsHeader = ["corpus", "split", "sample_rate", "rows", "padded", "truncated", "exact",
                                  "min_seconds", "mean_seconds", "max_seconds"]
    static let featureStatsHeader = ["feature", "channel", "bin", "count", "mean", "std"]

    /// Rows per corpus x class x split (normalised split and the corpus's own word), sorted.
    public static func classCounts(_ reader: StoreReader) throws -> [[String]]? {
        guard has(reader, "meta/source", .string), has(reader, "meta/label", .int32) else { return nil }
        let corpora = try reader.readStrings("meta/source")
        let labels = try reader.readInt32("meta/label")
        let splits = try optionalStrings(reader, "meta/split")
        let corpusSplits = try optionalStrings(reader, "meta/corpus_split")
        var counts: [[String]: Int] = [:]
        for row in 0..<reader.rowCount {
            let key = [corpora[row], try className(labels[row], reader: reader, row: row),
                       splits?[row] ?? "", corpusSplits?[row] ?? ""]
            counts[key, default: 0] += 1
        }
        return counts.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { $0 + [String(counts[$0] ?? 0)] }
    }

    /// The manifest's rejected inputs, in its order.
    public static func rejected(_ manifest: Manifest) -> [[String]] {
        manifest.rejected.map { [$0.path, $0.line.map(String.init) ?? "", $0.stage, $0.reason, String($0.rowCount)] }
    }

    /// Clip lengths per corpus x split x file sample rate: how many rows were zero-padded or truncated
    /// to the store's `audio.duration`, and the files' own durations (`num_samples / sample_rate`).
    public static func durations(_ reader: StoreReader) throws -> [[String]]? {
        guard has(reader, "meta/source", .string), has(reader, "meta/num_samples", .int64),
              has(reader, "meta/sample_rate", .int32), let duration = targetDuration(reader) else { return nil }
        let corpora = try reader.readStrings("meta/source")
        let splits = try optionalStrings(reader, "meta/split")
        let samples = try reader.readInt64("meta/num_samples")
        let rates = try reader.readInt32("meta/sample_rate")
        struct Group { var lengths: ClipLengths; var rows = 0; var sum = 0.0; var low = Double.infinity; var high = -Double.infinity }
        var groups: [[String]: Group] = [:]
        for row in 0..<reader.rowCount {
            let key = [corpora[row], splits?[row] ?? "", String(rates[row])]
            var group = groups[key] ?? Group(lengths: ClipLengths(duration: duration, minDurationFraction: 0))
            group.lengths.add(samples: samples[row], sampleRate: rates[row])
            let seconds = rates[row] > 0 ? Double(samples[row]) / Double(rates[row]) : .nan
            group.rows += 1
            group.sum += seconds
            group.low = min(group.low, seconds)
            group.high = max(group.high, seconds)
            groups[key] = group
        }
        return groups.keys.sorted { ($0[0], $0[1], Int($0[2]) ?? 0) < ($1[0], $1[1], Int($1[2]) ?? 0) }.map { key in
            let g = groups[key] ?? Group(lengths: ClipLengths(duration: duration, minDurationFraction: 0))
            return key + [String(g.rows), String(g.lengths.padded), String(g.lengths.truncated), String(g.lengths.exact),
                          number(g.low), number(g.sum / Double(max(g.rows, 1))), number(g.high)]
        }
    }

    /// Mean and standard deviation per feature, channel and bin over the rows whose `meta/split` is
    /// `train`, streamed one row at a time (`FeatureStatistics`). A feature with no train rows gets
    /// count 0 and NaN.
    public static func featureStatistics(_ reader: StoreReader) throws -> [[String]]? {
        let features = reader.columns.filter { $0.name.hasPrefix("features/") && $0.dtype == .float32 }
        guard !features.isEmpty, let splits = try optionalStrings(reader, "meta/split") else { return nil }
        var statistics = features.map { FeatureStatistics(column: $0.name, rowShape: $0.rowShape(frames: 1)) }
        let names = features.map(\.name)
        for row in 0..<reader.rowCount where splits[row] == "train" {
            let values = try reader.readRow(row, columns: names)
            for i in statistics.indices {
                guard let floats = values.floats(names[i]) else {
                    throw StoreError.schema(path: reader.manifestURL.path, reason: "row \(row) has no \(names[i]) values")
                }
                let spec = features[i]
                statistics[i].add(row: floats, frames: spec.isVariableLength ? floats.count / spec.elementsPerFrame : nil)
            }
        }
        return statistics.flatMap { s in
            (0..<s.channels).flatMap { c in
                (0..<s.bins).map { f in
                    [s.column, String(c), String(f), String(s.count),
                     number(s.mean(channel: c, bin: f)), number(s.standardDeviation(channel: c, bin: f))]
                }
            }
        }
    }

    /// The store's `audio.duration` (seconds), found in the parameters of the store at the root of
    /// a view chain.
    static func targetDuration(_ reader: StoreReader) -> Double? {
        var store = reader
        while let parent = store.parent { store = parent }
        switch store.manifest.parameters["audio"]?["duration"] {
        case let .integer(value)?: return Double(value)
        case let .number(value)?: return value
        default: return nil
        }
    }

    private static func has(_ reader: StoreReader, _ name: String, _ dtype: ColumnType) -> Bool {
        reader.columns.contains { $0.name == name && $0.dtype == dtype }
    }

    private static func optionalStrings(_ reader: StoreReader, _ name: String) throws -> [String]? {
        has(reader, name, .string) ? try reader.readStrings(name) : nil
    }

    private static func className(_ label: Int32, reader: StoreReader, row: Int) throws -> String {
        if label == -1 { return "" }
        guard label >= 0, Int(label) < reader.classes.count else {
            throw StoreError.schema(path: reader.manifestURL.path, reason:
                "row \(row): label \(label) outside the \(reader.classes.count) classes")
        }
        return reader.classes[Int(label)]
    }

    /// Shortest round-trip decimal text ("nan" for NaN, as numpy and pandas read it).
    private static func number(_ value: Double) -> String {
        value.isNaN ? "nan" : String(describing: value)
    }
}
