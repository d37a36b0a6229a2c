import Foundation
import Store

/// What a stream with a `WaveformTransform` reads instead of the feature column: the waveform
/// column and the following columns the table has, checked once when the stream is made.
struct WaveformStage: @unchecked Sendable {
    struct Following {
        let name: String
        let source: ColumnSource
        let rowShape: [Int]
        var width: Int { rowShape.reduce(1, *) }
    }

    let transform: any WaveformTransform
    let source: ColumnSource
    let channels: Int
    let samples: Int
    let following: [Following]
}

extension StreamTable {
    /// The waveform column must be float32 `[C, N]`; following columns float32 of any row shape.
    func waveformStage(_ transform: any WaveformTransform) throws -> WaveformStage {
        let specs = Dictionary(reader.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let name = transform.waveformColumn
        guard let spec = specs[name] else {
            throw StreamError.column(path: path, reason:
                "online '\(transform.name)' needs the waveform column '\(name)', which this table does not have (ingest with output.waveform: float32)")
        }
        guard spec.timeAxis == nil else {
            throw StreamError.column(path: path, reason:
                "'\(name)' holds whole recordings of any length (audio.length: keep); online '\(transform.name)' needs fixed-length rows (audio.duration or audio.segment_hop)")
        }
        guard spec.dtype == .float32, spec.rowShape.count == 2 else {
            throw StreamError.column(path: path, reason: "'\(name)' is \(spec.dtype.rawValue) \(spec.rowShape), expected float32 [C, N]")
        }
        let following = try transform.followingColumns.compactMap { column -> WaveformStage.Following? in
            guard let spec = specs[column] else { return nil }
            guard spec.dtype == .float32 else {
                throw StreamError.column(path: path, reason: "'\(column)' is \(spec.dtype.rawValue), expected float32")
            }
            return WaveformStage.Following(name: column, source: try ColumnSource(table: reader, column: column), rowShape: spec.rowShape)
        }
        return WaveformStage(transform: transform, source: try ColumnSource(table: reader, column: name),
                             channels: spec.rowShape[0], samples: spec.rowShape[1], following: following)
    }

    /// The batch of `rows` with features computed from their waveforms: each row's waveform (and
    /// following columns) gathered like features, handed to the transform with the row's seed, and
    /// the result placed in batch order. Labels and targets are read as `readBatch` reads them.
    func readBatch(rows: [Int], epoch: Int, index: Int, waveform stage: WaveformStage) throws -> Batch {
        let width = featureShape.reduce(1, *)
        let length = stage.channels * stage.samples
        let waveforms = try gather(stage.source, rows: rows, width: length)
        var columns: [String: [Float]] = [:]
        for column in stage.following {
            columns[column.name] = try gather(column.source, rows: rows, width: column.width)
        }
        var features = [Float](repeating: 0, count: rows.count * width)
        for (position, row) in rows.enumerated() {
            let base = position * length
            var item = WaveformRow(row: row, id: ids[row], channels: (0..<stage.channels).map { c in
                Array(waveforms[(base + c * stage.samples)..<(base + (c + 1) * stage.samples)])
            })
            for column in stage.following {
                item.columns[column.name] = Array(columns[column.name]![(position * column.width)..<((position + 1) * column.width)])
            }
            let seed = WaveformRow.seed(options.seed, epoch: epoch, batch: index, rank: options.rank, position: position)
            let values = try stage.transform.features(of: &item, seed: seed)
            guard values.count == width else {
                throw StreamError.column(path: path, reason:
                    "online '\(stage.transform.name)' gave \(values.count) feature values for row \(row) ('\(ids[row])'), the column's rows \(featureShape) hold \(width)")
            }
            features.replaceSubrange((position * width)..<((position + 1) * width), with: values)
            for column in stage.following {
                guard let changed = item.columns[column.name], changed.count == column.width else {
                    throw StreamError.column(path: path, reason: "online '\(stage.transform.name)' changed the size of '\(column.name)' of row \(row)")
                }
                columns[column.name]!.replaceSubrange((position * column.width)..<((position + 1) * column.width), with: changed)
            }
        }
        let targets = try self.targets.map { try gather($0, rows: rows, width: targetWidth ?? 0) }
        return Batch(epoch: epoch, index: index, rows: rows, ids: rows.map { ids[$0] },
                     shape: [rows.count] + featureShape, features: features,
                     labels: labels.map { labels in rows.map { labels[$0] } },
                     targets: targets, targetWidth: targetWidth, columns: columns,
                     columnShapes: Dictionary(uniqueKeysWithValues: stage.following.map { ($0.name, [rows.count] + $0.rowShape) }))
    }
}
