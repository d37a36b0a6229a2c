import Foundation
import Randomness
import Store

/// One sliding window: table row `row`, feature frames `start ..< start + crop.frames`.
struct CropItem: Equatable, Sendable {
    let row: Int
    let start: Int
}

/// How crops of a variable-length feature column are read: the column, the frame target column
/// cut with it (when asked for), and how many feature frames one label frame covers.
struct CropLayout: Sendable {
    let crop: FrameCrop
    let feature: ColumnSpec
    /// A variable-length target column (`/targets/activity` [T_label, K], …), read at the crop's offset.
    let frameTarget: ColumnSpec?
    /// Feature frames per label frame: the two columns' frame rates' ratio (80 / 10 = 8 for the SELD
    /// baselines' hop 300 at 24 kHz against 100-ms labels); 1 without frame targets.
    let ratio: Int

    /// Channels and bins of a feature frame.
    var channels: Int { feature.rowShape[0] }
    var bins: Int { feature.rowShape[1] }

    /// One row's cropped targets: [crop frames / ratio] + the target's frame shape.
    var targetShape: [Int]? { frameTarget.map { [crop.frames / ratio] + $0.rowShape } }

    /// Checks the columns against the crop; nil when neither asks for one. A variable-length column
    /// without a crop, a crop of a fixed-shape column, frame rates that are not whole multiples,
    /// and offsets off the label grid are each refused by name.
    init?(feature: ColumnSpec, target: ColumnSpec?, crop: FrameCrop?, path: String) throws {
        let variableTarget = target?.isVariableLength == true
        guard let crop else {
            if feature.isVariableLength || variableTarget {
                let name = feature.isVariableLength ? feature.name : target?.name ?? ""
                throw StreamError.column(path: path, reason:
                    "'\(name)' holds rows of their own lengths \(feature.isVariableLength ? feature.shapeDescription : target?.shapeDescription ?? ""): a batch needs fixed-length crops (StreamOptions.crop)")
            }
            return nil
        }
        guard feature.isVariableLength, feature.timeAxis == 1, feature.rowShape.count == 2 else {
            throw StreamError.column(path: path, reason:
                "a crop cuts variable-length [C, T, F] rows; '\(feature.name)' is \(feature.shapeDescription)")
        }
        self.crop = crop
        self.feature = feature
        guard let target, variableTarget else {
            frameTarget = nil
            ratio = 1
            return
        }
        guard target.timeAxis == 0 else {
            throw StreamError.column(path: path, reason: "frame targets '\(target.name)' must be [T, ...], not \(target.shapeDescription)")
        }
        guard let featureRate = feature.frameRate, let targetRate = target.frameRate, targetRate > 0 else {
            throw StreamError.column(path: path, reason:
                "'\(feature.name)' or '\(target.name)' records no frame rate: which feature frames a label frame covers is unknown")
        }
        let exact = featureRate / targetRate
        guard exact >= 1, abs(exact - exact.rounded()) < 1e-9 else {
            throw StreamError.column(path: path, reason:
                "'\(feature.name)' has \(featureRate) frames/s, '\(target.name)' \(targetRate): not a whole number of feature frames per label frame")
        }
        let ratio = Int(exact.rounded())
        guard crop.frames % ratio == 0 else {
            throw StreamError.invalidOptions("crop of \(crop.frames) frames is not a whole number of label frames (\(ratio) feature frames each)")
        }
        if case .sliding(let hop) = crop.mode, hop % ratio != 0 {
            throw StreamError.invalidOptions("sliding hop \(hop) frames is not a whole number of label frames (\(ratio) feature frames each)")
        }
        frameTarget = target
        self.ratio = ratio
    }
}

extension StreamTable {
    /// The feature frames of a row a crop may use: its own, or, with frame targets, no more than
    /// its label frames cover (a crop never reaches frames without labels).
    private static func usableFrames(features: Int, labels: Int?, ratio: Int) -> Int {
        labels.map { min(features, $0 * ratio) } ?? features
    }

    /// Frames of `column` of each of `rows` (table rows of segment `segment`).
    private static func frameCounts(_ source: ColumnSource, segment: Int, locals: [Int], files: ShardFiles) throws -> [Int] {
        let place = source.segments[segment]
        let counts = try files.reader(for: place).frameCounts(source.column)
        return locals.map { counts[place.fileRow($0)] }
    }

    /// Every sliding window of every selected row, grouped by segment as the rows are.
    static func slidingItems(segments: [[Int]], segmentStarts: [Int], layout: CropLayout, hop: Int,
                             features: ColumnSource, targets: ColumnSource?, files: ShardFiles) throws
        -> (items: [CropItem], segments: [[Int]], counts: [Int]) {
        var items: [CropItem] = []
        var grouped: [[Int]] = []
        var counts: [Int] = []
        for (segment, rows) in segments.enumerated() {
            let locals = rows.map { $0 - segmentStarts[segment] }
            let lengths = rows.isEmpty ? [] : try frameCounts(features, segment: segment, locals: locals, files: files)
            let labels: [Int]? = try layout.frameTarget == nil || rows.isEmpty ? nil
                : targets.map { try frameCounts($0, segment: segment, locals: locals, files: files) }
            var group: [Int] = []
            for (k, row) in rows.enumerated() {
                let usable = usableFrames(features: lengths[k], labels: labels?[k], ratio: layout.ratio)
                let starts = FrameCrop.windowStarts(length: usable, frames: layout.crop.frames, hop: hop)
                for start in starts {
                    group.append(items.count)
                    items.append(CropItem(row: row, start: start))
                }
                counts.append(starts.count)
            }
            grouped.append(group)
        }
        return (items, grouped, counts)
    }

    /// Reads the cropped batch of plan entries `entries`: each a row (random crop, its offset drawn
    /// from (seed, epoch, rank, batch, slot)) or a sliding window. One hyperslab of frames per crop
    /// and column, time-major in the file, laid out [B, C, T, F] here; frames past a row's end stay
    /// zero with mask 0.
    func readCroppedBatch(entries: [Int], layout: CropLayout, epoch: Int, index: Int) throws -> Batch {
        let (c, t, f) = (layout.channels, layout.crop.frames, layout.bins)
        let rowWidth = c * t * f
        var out = [Float](repeating: 0, count: entries.count * rowWidth)
        var mask = [Float](repeating: 0, count: entries.count * t)
        let labelFrames = t / layout.ratio
        let targetFrameWidth = layout.frameTarget?.elementsPerFrame ?? 0
        var frameTargets = layout.frameTarget.map { _ in [Float](repeating: 0, count: entries.count * labelFrames * targetFrameWidth) }
        var rows: [Int] = []
        var starts: [Int] = []
        for (slot, entry) in entries.enumerated() {
            let item = items?[entry]
            let row = item?.row ?? entry
            let (segment, local) = locate(row)
            let featurePlace = features.segments[segment]
            let featureFile = try files.reader(for: featurePlace)
            let fileRow = featurePlace.fileRow(local)
            let length = try featureFile.frameCount(features.column, row: fileRow)
            var labelSource: (file: ShardReader, row: Int)?
            if layout.frameTarget != nil, let targets {
                let place = targets.segments[segment]
                labelSource = (try files.reader(for: place), place.fileRow(local))
            }
            let labelLength = try labelSource.map { try $0.file.frameCount(targets?.column ?? "", row: $0.row) }
            let usable = Self.usableFrames(features: length, labels: labelLength, ratio: layout.ratio)
            let start: Int
            if let item {
                start = item.start
            } else {
                var generator = SplitMix64(seed: options.seed, key: "crop#\(epoch)#\(options.rank)#\(index)#\(slot)")
                let positions = max(0, usable - t) / layout.ratio
                start = generator.nextInt(below: positions + 1) * layout.ratio
            }
            let count = max(0, min(t, usable - start))
            if count > 0 {
                let frames = try featureFile.readFrames(features.column, row: fileRow, frames: start..<(start + count))
                out.withUnsafeMutableBufferPointer { target in
                    frames.withUnsafeBufferPointer { source in
                        for frame in 0..<count {
                            for channel in 0..<c {
                                (target.baseAddress! + ((slot * c + channel) * t + frame) * f)
                                    .update(from: source.baseAddress! + (frame * c + channel) * f, count: f)
                            }
                        }
                    }
                }
                for frame in 0..<count { mask[slot * t + frame] = 1 }
            }
            if let labelSource, let targets, count > 0 {
                let first = start / layout.ratio
                let covered = (count + layout.ratio - 1) / layout.ratio
                let values = try labelSource.file.readFrames(targets.column, row: labelSource.row, frames: first..<(first + covered))
                let base = slot * labelFrames * targetFrameWidth
                frameTargets?.replaceSubrange(base..<(base + values.count), with: values)
            }
            rows.append(row)
            starts.append(start)
        }
        var softTargets: [Float]?
        if layout.frameTarget == nil, let targets, let targetWidth {
            softTargets = try gather(targets, rows: rows, width: targetWidth)
        }
        return Batch(epoch: epoch, index: index, rows: rows, ids: rows.map { ids[$0] },
                     shape: [entries.count, c, t, f], features: out,
                     labels: labels.map { labels in rows.map { labels[$0] } },
                     targets: frameTargets ?? softTargets, targetWidth: targetWidth,
                     starts: starts, mask: mask, targetShape: layout.targetShape)
    }
}
