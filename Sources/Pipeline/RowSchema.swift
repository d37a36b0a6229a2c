import AudioIO
import Augment
import Corpora
import Features
import Foundation
import Store

/// The columns of every shard of a store (architecture.md, "Store layout"), and how a recording's
/// metadata fills them.
public struct RowSchema: Sendable {
    public let columns: [ColumnSpec]
    public let featureShapes: [String: [Int]]
    /// `aug/<augmentation>/<draw>`: what each augmented row drew (int64, or float32 for λ, gains and
    /// energies); a row that was not augmented (variant 0) holds -1, or NaN.
    public let augmentColumns: [ColumnSpec]
    /// `audio/waveform`: the row's waveform at the pipeline rate, float32 `[C, N]` (`output.waveform`).
    public static let waveformColumn = "audio/waveform"
    /// The manifest's class list; `/meta/label` indexes into it.
    public let classes: [String]
    let classIndex: [String: Int32]
    /// The corpora's attribute columns (`CorpusRecipe.attributeColumns`), as `meta/<key>`, in first-seen order.
    let attributeKeys: [String]
    /// Label frames of a row's `/targets/*` columns (`SELDEvent.labelHopSeconds` each), when a corpus
    /// has frame targets; `nil` otherwise.
    public let targetFrames: Int?
    /// Whether rows keep whole recordings (`audio.length: keep`): feature, waveform and target
    /// columns are then variable-length (`ColumnSpec.timeAxis`), targets as long as the recording.
    public let variableLength: Bool
    /// Whether rows carry `/targets/*` frame targets.
    public let hasFrameTargets: Bool
    /// Per corpus with frame targets: its class index → the manifest's (`classes`) index.
    let targetClassMap: [String: [Int]]
    let adpit: Bool
    /// Whether rows are segments of files (`audio.segment_hop`): `meta/recording` and `meta/start` columns.
    let segmented: Bool

    /// `meta/split` is the normalised split (`DatasetSplit`: train / validation / test / unlabeled /
    /// unused), `meta/corpus_split` the corpus's own word. `meta/duration` (float32 seconds),
    /// `meta/sample_rate` (int32 Hz) and `meta/num_samples` (int64, per channel) describe the file as
    /// decoded, before resampling and `fix_length`: a row whose `num_samples` is below
    /// `round(duration x sample_rate)` was zero-padded, above it truncated. float32 seconds are exact
    /// to 0.06 ppm (a sample in 8 million); `num_samples` is the exact count.
    public static let metadataColumns: [ColumnSpec] = [
        ColumnSpec(name: "meta/id", dtype: .string),
        ColumnSpec(name: "meta/label", dtype: .int32),
        ColumnSpec(name: "meta/source", dtype: .string),
        ColumnSpec(name: "meta/device", dtype: .string),
        ColumnSpec(name: "meta/city", dtype: .string),
        ColumnSpec(name: "meta/location", dtype: .string),
        ColumnSpec(name: "meta/segment", dtype: .string),
        ColumnSpec(name: "meta/split", dtype: .string),
        ColumnSpec(name: "meta/corpus_split", dtype: .string),
        ColumnSpec(name: "meta/time", dtype: .int64),
        ColumnSpec(name: "meta/variant", dtype: .int32),
        ColumnSpec(name: "meta/seed", dtype: .uint64),
        ColumnSpec(name: "meta/duration", dtype: .float32),
        ColumnSpec(name: "meta/sample_rate", dtype: .int32),
        ColumnSpec(name: "meta/num_samples", dtype: .int64),
    ]

    init(config: PipelineConfig, extractors: [any FeatureExtractor], classes: [String], attributes: [String] = [],
         frameTargets: [String: [String]] = [:], adpit: Bool = false) throws {
        variableLength = config.audio.keepsWholeRecordings
        guard config.audio.duration != nil || variableLength else {
            throw PipelineError.invalidConfig("audio.duration is required for fixed-size rows (audio.length: keep keeps each recording at its own length)")
        }
        let channels: Int
        switch config.audio.channels {
        case .mono: channels = 1
        case .select(let indices): channels = indices.count
        case .keep:
            guard let expected = config.audio.expectChannels, expected.count == 1 else {
                throw PipelineError.invalidConfig("audio.channels 'keep' needs audio.expect_channels with exactly one count")
            }
            channels = expected[0]
        }
        var shapes: [String: [Int]] = [:]
        var featureColumns: [ColumnSpec] = []
        for extractor in extractors {
            if variableLength {
                let column = try Self.variableFeatureColumn(extractor, channels: channels)
                shapes[column.name] = column.rowShape(frames: 0)
                featureColumns.append(column)
                continue
            }
            let length = config.audio.targetLength(at: extractor.sampleRate) ?? 0
            let shape = extractor.outputShape(channelCount: channels, sampleCount: length)
            guard shape.allSatisfy({ $0 > 0 }) else {
                throw PipelineError.invalidConfig("feature '\(extractor.name)' gives an empty shape \(shape) for \(length) samples")
            }
            shapes["features/\(extractor.name)"] = shape
            featureColumns.append(ColumnSpec(name: "features/\(extractor.name)", dtype: .float32, rowShape: shape))
        }
        var keys: [String] = []
        for key in attributes where !keys.contains(key) {
            let name = "meta/\(key)"
            guard !Self.metadataColumns.contains(where: { $0.name == name }) else {
                throw PipelineError.invalidConfig("corpus attribute '\(key)' would replace the column \(name)")
            }
            keys.append(key)
        }
        attributeKeys = keys
        var targetColumns: [ColumnSpec] = []
        hasFrameTargets = !frameTargets.isEmpty
        if frameTargets.isEmpty {
            guard !adpit else { throw PipelineError.invalidConfig("inputs.adpit needs a corpus with frame targets (starss22, tau-nigens2021)") }
            targetFrames = nil
        } else if variableLength {
            // As long as each recording: label frame k covers its [k, k + 1) x 100 ms.
            targetFrames = nil
            let c = classes.count, tracks = SELDAnnotation.tracks, rate = 1 / SELDEvent.labelHopSeconds
            targetColumns = [ColumnSpec(name: "targets/activity", dtype: .float32, rowShape: [c], timeAxis: 0, frameRate: rate),
                             ColumnSpec(name: "targets/doa", dtype: .float32, rowShape: [tracks, c, 3], timeAxis: 0, frameRate: rate)]
            if adpit { targetColumns.append(ColumnSpec(name: "targets/adpit", dtype: .float32, rowShape: [6, 4, c], timeAxis: 0, frameRate: rate)) }
        } else {
            let frames = SELDEvent.labelFrames(sampleCount: config.audio.targetLength ?? 0, sampleRate: config.audio.sampleRate)
            guard frames > 0 else {
                throw PipelineError.invalidConfig("audio.duration must hold at least one \(SELDEvent.labelHopSeconds)-s label frame for the SELD targets")
            }
            targetFrames = frames
            let c = classes.count, tracks = SELDAnnotation.tracks
            targetColumns = [ColumnSpec(name: "targets/activity", dtype: .float32, rowShape: [frames, c]),
                             ColumnSpec(name: "targets/doa", dtype: .float32, rowShape: [frames, tracks, c, 3])]
            if adpit { targetColumns.append(ColumnSpec(name: "targets/adpit", dtype: .float32, rowShape: [frames, 6, 4, c])) }
        }
        self.adpit = adpit
        segmented = config.audio.segmentHop != nil
        if segmented, !frameTargets.isEmpty, let hop = config.audio.segmentHop, let duration = config.audio.duration {
            // Label frame 0 of a segment must be a label frame of the recording.
            for (key, value) in [("segment_hop", hop), ("duration", duration)] {
                let frames = value / SELDEvent.labelHopSeconds
                guard abs(frames - frames.rounded()) < 1e-9 else {
                    throw PipelineError.invalidConfig("audio.\(key) \(value) s is not a whole number of \(SELDEvent.labelHopSeconds)-s label frames")
                }
            }
        }
        let segmentColumns = segmented
            ? [ColumnSpec(name: "meta/recording", dtype: .string), ColumnSpec(name: "meta/start", dtype: .float32)] : []
        targetClassMap = frameTargets.mapValues { own in own.map { name in classes.firstIndex(of: name) ?? -1 } }
        let draws = config.augment.map { WaveformChain.columns(of: $0.steps) } ?? []
        augmentColumns = draws.map { ColumnSpec(name: $0.column, dtype: $0.isInteger ? .int64 : .float32) }
        var waveformColumns: [ColumnSpec] = []
        if config.output.waveform != nil, variableLength {
            waveformColumns = [ColumnSpec(name: Self.waveformColumn, dtype: .float32, rowShape: [channels], timeAxis: 1,
                                          frameRate: Double(config.audio.sampleRate))]
        } else if config.output.waveform != nil, let length = config.audio.targetLength(at: config.audio.sampleRate) {
            waveformColumns = [ColumnSpec(name: Self.waveformColumn, dtype: .float32, rowShape: [channels, length])]
        }
        columns = featureColumns + waveformColumns + targetColumns + Self.metadataColumns + segmentColumns
            + keys.map { ColumnSpec(name: "meta/\($0)", dtype: .string) } + augmentColumns
        featureShapes = shapes
        self.classes = classes
        var index: [String: Int32] = [:]
        for (i, name) in classes.enumerated() where index[name] == nil { index[name] = Int32(i) }
        classIndex = index
    }

    /// The variable-length column of `extractor`: frames [C, F] (time axis 1, as [C, T, F] rows are),
    /// at the extractor's frame rate. The rate is what one more hour of audio adds to the extractor's
    /// own frame count (`outputShape`), so it holds for any hop, centred or not.
    static func variableFeatureColumn(_ extractor: any FeatureExtractor, channels: Int) throws -> ColumnSpec {
        let hour = 3600 * extractor.sampleRate
        let one = extractor.outputShape(channelCount: channels, sampleCount: hour)
        let two = extractor.outputShape(channelCount: channels, sampleCount: 2 * hour)
        guard one.count == 3, two.count == 3, one[0] > 0, one[2] > 0, two[1] > one[1] else {
            throw PipelineError.invalidConfig("feature '\(extractor.name)' has no time axis to keep at each recording's length (shape \(one))")
        }
        return ColumnSpec(name: "features/\(extractor.name)", dtype: .float32, rowShape: [one[0], one[2]], timeAxis: 1,
                          frameRate: Double(two[1] - one[1]) / 3600)
    }

    /// Whether `shape` is what column `column` holds: the fixed shape, or [C, any T ≥ 1, F].
    func fits(_ shape: [Int], column: String) -> Bool {
        guard let expected = featureShapes[column] else { return false }
        guard variableLength else { return expected == shape }
        return shape.count == 3 && shape[0] == expected[0] && shape[1] >= 1 && shape[2] == expected[2]
    }

    func labelIndex(of recording: Recording) -> Int32 {
        recording.label.flatMap { classIndex[$0] } ?? -1
    }

    /// The metadata of `recording`'s row `variant`; `original` is the file as decoded (its own rate and length).
    func metadataRow(for recording: Recording, variant: Int = 0, original: ClipLoader.Clip, seed: UInt64) -> ShardRow {
        let split = CorpusRegistry.recipe(named: recording.corpus)?.datasetSplit(of: recording)
            ?? (recording.labeled ? .train : .unlabeled)
        var values: [String: ColumnValue] = [
            "meta/id": .string(recording.id),
            "meta/label": .int32(labelIndex(of: recording)),
            "meta/source": .string(recording.corpus),
            "meta/device": .string(recording.device ?? ""),
            "meta/city": .string(recording.city ?? ""),
            "meta/location": .string(recording.location ?? ""),
            "meta/segment": .string(recording.segment ?? ""),
            "meta/split": .string(split.rawValue),
            "meta/corpus_split": .string(recording.split),
            "meta/time": .int64(recording.recordTime ?? -1),
            "meta/variant": .int32(Int32(variant)),
            "meta/seed": .uint64(seed),
            "meta/duration": .float32([Float(original.fileSeconds)]),
            "meta/sample_rate": .int32(Int32(clamping: original.buffer.sampleRate)),
            "meta/num_samples": .int64(Int64(original.fileFrames)),
        ]
        for key in attributeKeys { values["meta/\(key)"] = .string(recording.attributes?[key] ?? "") }
        if segmented {
            values["meta/recording"] = .string(recording.recordingID ?? recording.id)
            values["meta/start"] = .float32([Float(recording.startSeconds ?? 0)])
        }
        return ShardRow(values)
    }

    /// The `/targets/*` values of `recording`'s row: its annotation's events (lines already reported
    /// by the recipe are dropped again) from label frame 0, cut or zero-padded to `targetFrames`, as
    /// the audio is; zeros for a recording of a corpus without annotations; NaN for a recording of a
    /// SELD corpus that has no CSV (its unlabeled evaluation set: `meta/split` `unlabeled`).
    ///
    /// A variant's targets follow its audio: `cropFrames` moves the window by the crop's offset (in
    /// label frames), and `transform` (the channel swap's draw) maps every DOA vector, in `doa` and
    /// `adpit`, as it mapped W, Y, Z, X; activity is unchanged, zero vectors stay zero.
    func targetValues(for recording: Recording, original: ClipLoader.Clip, cropFrames: Int = 0,
                      transform: FOATransform? = nil) throws -> [String: ColumnValue] {
        guard hasFrameTargets else { return [:] }
        let frames = targetFrames
            ?? SELDEvent.labelFrames(sampleCount: original.fileFrames, sampleRate: original.buffer.sampleRate)
        guard frames > 0 else {
            throw FeatureError("the recording is shorter than one \(SELDEvent.labelHopSeconds)-s label frame: no frame targets")
        }
        var events: [SELDEvent] = []
        if let path = recording.annotation, let map = targetClassMap[recording.corpus] {
            let annotation = try SELDAnnotation.read(URL(fileURLWithPath: path), classCount: map.count,
                frameCount: SELDEvent.labelFrames(sampleCount: original.fileFrames, sampleRate: original.buffer.sampleRate))
            events = annotation.events.compactMap { event in
                var mapped = event
                mapped.classIndex = map[event.classIndex]
                return mapped.classIndex >= 0 ? mapped : nil
            }
        }
        let start = Int(((recording.startSeconds ?? 0) / SELDEvent.labelHopSeconds).rounded()) + cropFrames
        var targets = SELDTargets(events: events, classes: classes.count, frames: frames, start: start)
        if recording.annotation == nil, targetClassMap[recording.corpus] != nil {
            // A recording of a SELD corpus without its CSV (the unlabeled evaluation set): unknown, not silence.
            targets.activity = targets.activity.map { _ in .nan }
            targets.doa = targets.doa.map { _ in .nan }
            targets.adpit = targets.adpit.map { _ in .nan }
        }
        if let transform, transform.number != 0 { targets.apply(transform) }
        var values: [String: ColumnValue] = ["targets/activity": .float32(targets.activity), "targets/doa": .float32(targets.doa)]
        if adpit { values["targets/adpit"] = .float32(targets.adpit) }
        return values
    }

    /// The draw columns of a row: the chain's records, or the not-augmented values for variant 0.
    func augmentValues(_ records: [WaveformChain.Record]?) -> [String: ColumnValue] {
        var values: [String: ColumnValue] = [:]
        for spec in augmentColumns { values[spec.name] = spec.dtype == .int64 ? .int64(-1) : .float32([.nan]) }
        for record in records ?? [] {
            for (name, value) in record.columns {
                let column = "aug/\(record.augmentation)/\(name)"
                switch value {
                case .int(let v): values[column] = .int64(v)
                case .float(let v): values[column] = .float32([Float(v)])
                }
            }
        }
        return values
    }

    /// Accepted rows per (corpus, class, split), for a shard's sidecar.
    func counts(of rows: [ShardRow]) -> [ClassCount] {
        ClassCount.tally(rows.map { row in
            let label = row.int32("meta/label").flatMap { $0 >= 0 && Int($0) < classes.count ? classes[Int($0)] : nil }
            return (row.string("meta/source") ?? "", label, row.string("meta/split") ?? "")
        })
    }
}
