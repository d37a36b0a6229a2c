import Foundation
import Randomness
import Store

extension StreamTable {
    /// Reads the batch of `rows` (table row numbers): per file and column, each row's chunk with one
    /// `pread` straight into its batch place when the rows are raw chunks (`RowFile`, no HDF5 lock),
    /// else one `H5Dread` per run of consecutive rows (in file order), then placed in batch order.
    /// With a crop, `rows` are the plan's entries (rows, or sliding windows' item numbers).
    public func readBatch(rows: [Int], epoch: Int, index: Int) throws -> Batch {
        if let cropLayout { return try readCroppedBatch(entries: rows, layout: cropLayout, epoch: epoch, index: index) }
        let width = featureShape.reduce(1, *)
        let features = try gather(features, rows: rows, width: width)
        let targets = try self.targets.map { try gather($0, rows: rows, width: targetWidth ?? 0) }
        return Batch(epoch: epoch, index: index, rows: rows, ids: rows.map { ids[$0] },
                     shape: [rows.count] + featureShape, features: features,
                     labels: labels.map { labels in rows.map { labels[$0] } },
                     targets: targets, targetWidth: targetWidth)
    }

    /// Applies `transforms` in order, each with its own generator from (seed, epoch, batch, rank, k).
    func transform(_ batch: inout Batch, with transforms: [any BatchTransform]) throws {
        for (k, transform) in transforms.enumerated() {
            var generator = SplitMix64(seed: options.seed, key: "augment#\(batch.epoch)#\(batch.index)#\(options.rank)#\(k)")
            let shape = batch.shape
            try transform.apply(to: &batch, generator: &generator)
            guard batch.shape == shape, batch.features.count == shape.reduce(1, *) else {
                throw StreamError.invalidOptions("transform '\(transform.name)' changed the batch shape \(shape) to \(batch.shape)")
            }
        }
    }

    func gather(_ source: ColumnSource, rows: [Int], width: Int) throws -> [Float] {
        // (segment, file row, batch position), grouped by segment and sorted by file row.
        var places: [(segment: Int, fileRow: Int, position: Int)] = []
        places.reserveCapacity(rows.count)
        for (position, row) in rows.enumerated() {
            let (segment, local) = locate(row)
            places.append((segment, source.segments[segment].fileRow(local), position))
        }
        places.sort { ($0.segment, $0.fileRow) < ($1.segment, $1.fileRow) }
        var out = [Float](repeating: 0, count: rows.count * width)
        var start = 0
        while start < places.count {
            var end = start + 1
            while end < places.count, places[end].segment == places[start].segment { end += 1 }
            let segment = source.segments[places[start].segment]
            if let rows = try files.rowFile(for: segment, column: source.column), rows.chunks.rowBytes == width * MemoryLayout<Float>.size {
                try out.withUnsafeMutableBytes { target in
                    for place in places[start..<end] {
                        try rows.read(row: place.fileRow, into: target.baseAddress! + place.position * rows.chunks.rowBytes)
                    }
                }
                start = end
                continue
            }
            let file = try files.reader(for: segment)
            // Duplicates (sampling with replacement) are read once.
            var fileRows: [Int] = []
            for place in places[start..<end] where fileRows.last != place.fileRow { fileRows.append(place.fileRow) }
            let values = try file.readFloatRows(source.column, rows: fileRows)
            guard values.count == fileRows.count * width else {
                throw StreamError.column(path: segment.url.path, reason:
                    "'\(source.column)' gave \(values.count) values for \(fileRows.count) rows of \(width)")
            }
            var k = -1
            var previous = -1
            out.withUnsafeMutableBufferPointer { target in
                values.withUnsafeBufferPointer { read in
                    for place in places[start..<end] {
                        if place.fileRow != previous { k += 1; previous = place.fileRow }
                        let from = read.baseAddress! + k * width
                        (target.baseAddress! + place.position * width).update(from: from, count: width)
                    }
                }
            }
            start = end
        }
        return out
    }
}
