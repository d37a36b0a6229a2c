import Foundation
import Store

/// A store or view prepared for streaming: the rows the filter keeps (per segment), the scalar
/// columns a batch carries (ids, hard labels), and where the projected columns live.
///
/// Projection: only the feature column, the target column when asked for, `meta/id`, and the
/// metadata the filter and sampling need are ever read; scalar columns are read whole once (they
/// are chunked 4096 rows at a time), feature and target rows per batch.
public final class StreamTable: @unchecked Sendable {
    public let reader: StoreReader
    public let options: StreamOptions
    /// Selected rows (table numbering, increasing) of each segment.
    public let segments: [[Int]]
    /// Row shape [C, T, F] of the feature column (with a crop, T is the crop's frames).
    public let featureShape: [Int]
    /// Width K of the soft targets, when read (cropped frame targets: the elements of one row's).
    public let targetWidth: Int?
    /// How a crop reads variable-length rows (`StreamOptions.crop`), nil without one.
    let cropLayout: CropLayout?
    /// Sliding crops: every window (row, first frame); plans then order these, not rows.
    let items: [CropItem]?
    /// What an epoch's plan orders, per segment: selected rows, or with sliding crops item numbers.
    let planSegments: [[Int]]
    /// Sampling weight per selected row (in segment order), for balanced or weighted sampling.
    let weights: [Double]?
    let ids: [String]
    let labels: [Int32]?
    let features: ColumnSource
    let targets: ColumnSource?
    let files: ShardFiles
    private let segmentStarts: [Int]

    public var path: String { reader.manifestURL.path }
    public var classes: [String] { reader.classes }
    public var selectedCount: Int { segments.reduce(0) { $0 + $1.count } }

    /// Opens the manifest at `url` (store or view).
    public convenience init(manifest url: URL, options: StreamOptions) throws {
        try self.init(reader: StoreReader(manifest: url), options: options)
    }

    public init(reader: StoreReader, options: StreamOptions) throws {
        if let problem = options.validationProblem { throw StreamError.invalidOptions(problem) }
        self.reader = reader
        self.options = options
        let path = reader.manifestURL.path
        let specs = Dictionary(reader.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func spec(_ name: String, _ dtype: ColumnType) throws -> ColumnSpec {
            guard let spec = specs[name] else {
                throw StreamError.column(path: path, reason:
                    "no column '\(name)' (has \(reader.columns.map(\.name).sorted().joined(separator: ", ")))")
            }
            guard spec.dtype == dtype else {
                throw StreamError.column(path: path, reason: "column '\(name)' is \(spec.dtype.rawValue), expected \(dtype.rawValue)")
            }
            return spec
        }
        let feature = try spec(options.features, .float32)
        let target = try options.labels.targetColumn.map { try spec($0, .float32) }
        let layout = try CropLayout(feature: feature, target: target, crop: options.crop, path: path)
        cropLayout = layout
        if let layout {
            featureShape = feature.rowShape(frames: layout.crop.frames)
        } else {
            guard feature.rowShape.count == 3 else {
                throw StreamError.column(path: path, reason: "'\(options.features)' has row shape \(feature.rowShape), expected [C, T, F]")
            }
            featureShape = feature.rowShape
        }
        if let target, let column = options.labels.targetColumn {
            if let shape = layout?.targetShape {
                targetWidth = shape.reduce(1, *)
            } else {
                guard target.rowShape.count == 1, !target.isVariableLength else {
                    throw StreamError.column(path: path, reason: "'\(column)' has row shape \(target.shapeDescription), expected [K]")
                }
                targetWidth = target.rowShape[0]
            }
            targets = try ColumnSource(table: reader, column: column)
        } else {
            targetWidth = nil
            targets = nil
        }
        features = try ColumnSource(table: reader, column: options.features)
        files = ShardFiles(verify: options.verifyChecksums)

        _ = try spec("meta/id", .string)
        ids = try reader.readStrings("meta/id")
        let filter = options.filter
        let needLabels = options.labels.hard || filter.labeled != nil || filter.classes != nil || options.sampling != .natural
        let labelColumn = needLabels ? try { _ = try spec("meta/label", .int32); return try reader.readInt32("meta/label") }() : nil
        labels = options.labels.hard ? labelColumn : nil
        let splits = try filter.splits.map { _ in try { _ = try spec("meta/split", .string); return try reader.readStrings("meta/split") }() }
        let variants = try filter.variants.map { _ in try { _ = try spec("meta/variant", .int32); return try reader.readInt32("meta/variant") }() }
        let sources = try filter.corpora.map { _ in try { _ = try spec("meta/source", .string); return try reader.readStrings("meta/source") }() }
        var classSet: Set<Int32>?
        if let names = filter.classes {
            var set = Set<Int32>()
            for name in names {
                guard let index = reader.classes.firstIndex(of: name) else {
                    throw StreamError.column(path: path, reason: "no class '\(name)' (classes: \(reader.classes.joined(separator: ", ")))")
                }
                set.insert(Int32(index))
            }
            classSet = set
        }
        let splitSet = filter.splits.map(Set.init)
        let variantSet = filter.variants.map { Set($0.map(Int32.init)) }
        let corpusSet = filter.corpora.map(Set.init)
        var segments: [[Int]] = []
        var starts: [Int] = []
        for segment in 0..<reader.segmentCount {
            let range = reader.segmentRange(segment)
            starts.append(range.lowerBound)
            segments.append(range.filter { row in
                if let splitSet, let splits, !splitSet.contains(splits[row]) { return false }
                if let labeled = filter.labeled, let labelColumn, (labelColumn[row] >= 0) != labeled { return false }
                if let classSet, let labelColumn, !classSet.contains(labelColumn[row]) { return false }
                if let variantSet, let variants, !variantSet.contains(variants[row]) { return false }
                if let corpusSet, let sources, !corpusSet.contains(sources[row]) { return false }
                return true
            })
        }
        starts.append(reader.rowCount)
        self.segments = segments
        segmentStarts = starts
        var rowWeights = try Self.weights(options.sampling, rows: segments.flatMap { $0 }, labels: labelColumn ?? [],
                                          classes: reader.classes, path: path)
        if let layout, case .sliding(let hop) = layout.crop.mode {
            let windows = try Self.slidingItems(segments: segments, segmentStarts: starts, layout: layout, hop: hop,
                                                features: features, targets: targets, files: files)
            items = windows.items
            planSegments = windows.segments
            // Every window of a row carries its row's weight.
            rowWeights = rowWeights.map { weights in zip(weights, windows.counts).flatMap { [Double](repeating: $0, count: $1) } }
        } else {
            items = nil
            planSegments = segments
        }
        weights = rowWeights
        // Weighted sampling draws as many rows as have a nonzero weight.
        let drawn = weights.map { $0.filter { $0 > 0 }.count } ?? planSegments.reduce(0) { $0 + $1.count }
        let perRank = drawn / options.world
        if perRank == 0 || (options.dropLast && perRank < options.batchSize) {
            throw StreamError.tooFewRows(path: path, reason:
                "the filter keeps \(selectedCount) rows (\(drawn) drawn per epoch), \(perRank) per rank of \(options.world): fewer than one batch of \(options.batchSize)")
        }
    }

    /// The segment holding table row `row`, and the row's place in it.
    func locate(_ row: Int) -> (segment: Int, local: Int) {
        var low = 0
        var high = segmentStarts.count - 2
        while low < high {
            let middle = (low + high + 1) / 2
            if segmentStarts[middle] <= row { low = middle } else { high = middle - 1 }
        }
        return (low, row - segmentStarts[low])
    }

    /// The plan of epoch `epoch` for this stream's rank.
    public func plan(epoch: Int) -> EpochPlan {
        EpochPlan(segments: planSegments, weights: weights, options: options, epoch: epoch)
    }

    private static func weights(_ sampling: Sampling, rows: [Int], labels: [Int32], classes: [String],
                                path: String) throws -> [Double]? {
        switch sampling {
        case .natural:
            return nil
        case .balanced:
            var counts: [Int32: Int] = [:]
            for row in rows where labels[row] >= 0 { counts[labels[row], default: 0] += 1 }
            guard !counts.isEmpty else { throw StreamError.tooFewRows(path: path, reason: "balanced sampling found no labelled rows") }
            return rows.map { labels[$0] >= 0 ? 1.0 / Double(counts[labels[$0]] ?? 1) : 0 }
        case .weighted(let byName):
            for name in byName.keys where !classes.contains(name) {
                throw StreamError.column(path: path, reason: "weighted sampling names class '\(name)', not in the class list")
            }
            if let bad = byName.first(where: { !($0.value >= 0 && $0.value.isFinite) }) {
                throw StreamError.invalidOptions("class weight \(bad.value) for '\(bad.key)' must be finite and non-negative")
            }
            return rows.map { labels[$0] >= 0 && Int(labels[$0]) < classes.count ? byName[classes[Int(labels[$0])]] ?? 0 : 0 }
        }
    }
}
