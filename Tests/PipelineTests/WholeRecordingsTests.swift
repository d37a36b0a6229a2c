import AudioIO
import Corpora
import Foundation
import Pipeline
import Store
import TestSupport
import XCTest

/// `audio.length: keep`: every recording whole at its own length, in variable-length columns
/// (features [C, T, F], targets [T_label, ...]), checked strictly, aligned, deterministic.
final class WholeRecordingsTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = try TemporaryFolder.forTest(self, label: "whole")
    }

    func load(_ name: String) throws -> PipelineConfig {
        try PipelineConfig.load(Repository.url("pipelines/\(name).yaml"))
    }

    func ingest(_ config: PipelineConfig, into name: String, threads: Int = 2,
                partition: ShardPartition = .whole, stopAfterShards: Int? = nil) throws -> Ingest.Result {
        try Ingest.run(Ingest.Request(config: config, dataRoot: root.appendingPathComponent("data"),
                                      output: root.appendingPathComponent(name), threads: threads, progress: .silent,
                                      stopAfterShards: stopAfterShards, finalize: partition == .whole, partition: partition))
    }

    func testLengthKeepIsCheckedStrictly() throws {
        func audio(_ yaml: String) throws -> PipelineConfig {
            try PipelineConfig.load(yaml: """
            name: t
            audio:
            \(yaml)
            features:
              - {name: m, kind: logmel, n_fft: 512, hop_length: 256, n_mels: 16}
            """, source: "t.yaml")
        }
        let kept = try audio("  length: keep")
        XCTAssertNil(kept.audio.duration)
        XCTAssertTrue(kept.audio.keepsWholeRecordings)
        XCTAssertTrue(String(decoding: try kept.canonicalJSON(), as: UTF8.self).contains("\"length\":\"keep\""))
        XCTAssertFalse(String(decoding: try audio("  duration: 10.0").canonicalJSON(), as: UTF8.self).contains("\"length\""),
                       "fixed-length configs keep their hash")
        for (yaml, words) in [("  length: keep\n  duration: 10.0", "remove audio.duration"),
                              ("  length: keep\n  segment_hop: 1.0", "audio.segment_hop"),
                              ("  length: keep\n  min_duration_fraction: 0.5", "audio.min_duration_fraction"),
                              ("  duration: null", "audio.length: keep"),
                              ("  length: whole", "length"),
                              ("  length: keep\naugment:\n  variants: 2\n  steps:\n    - crop: {alignment: 2400}", "crop them online")] {
            XCTAssertThrowsError(try audio(yaml), yaml) { error in
                XCTAssertTrue("\(error)".contains("t.yaml") && "\(error)".contains(words), "\(yaml): \(error)")
            }
        }
    }

    /// estm-dcase2020t2 with `length: keep`: the 11-s ToyCar clips keep their 11 s (344 frames of
    /// hop 512 at 16 kHz), the 10-s ones 313; each row equals a fixed-length store's row of its own length.
    func testESTMKeepsEachClipAtItsOwnLength() throws {
        _ = try DCASE2020T2Synth().generate(root: root.appendingPathComponent("data"), perClass: 1, seed: 0)
        var config = try load("estm-dcase2020t2")
        config.inputs.splits = ["dev_train"]
        config.features = config.features.filter { $0.name != "esgram128" }
        config.audio = AudioPolicy(sampleRate: config.audio.sampleRate, channels: .mono, resampler: config.audio.resampler, length: .keep)
        config.output.waveform = .float32
        let result = try ingest(config, into: "kept")
        XCTAssertTrue(result.rejected.isEmpty, "\(result.rejected)")
        let reader = try StoreReader(manifest: result.manifestURL)
        XCTAssertEqual(reader.rowCount, 23)
        let spec = try XCTUnwrap(reader.columns.first { $0.name == "features/sgram128" })
        XCTAssertEqual(spec.rowShape, [1, 128])
        XCTAssertEqual(spec.timeAxis, 1)
        XCTAssertEqual(try XCTUnwrap(spec.frameRate), 31.25, accuracy: 1e-9)
        let types = try reader.readStrings("meta/machine_type")
        var lengths: [Int: Int] = [:]
        for i in 0..<reader.rowCount {
            let row = try reader.readRow(i, columns: ["features/sgram128", "features/tgram"])
            let frames = try XCTUnwrap(row.floats("features/sgram128")).count / 128
            lengths[frames, default: 0] += 1
            XCTAssertEqual(frames, types[i] == "ToyCar" ? 344 : 313, types[i])
            XCTAssertEqual(try XCTUnwrap(row.floats("features/tgram")).count / 1024, types[i] == "ToyCar" ? 344 : 313)
            let waveform = try reader.readRow(i, columns: ["audio/waveform"]).floats("audio/waveform")
            XCTAssertEqual(waveform?.count, (types[i] == "ToyCar" ? 11 : 10) * 16000, "the whole clip's samples")
        }
        XCTAssertEqual(lengths.count, 2, "both lengths present: \(lengths)")
        // A fixed 11-s store of the same config: its ToyCar rows are the kept rows.
        var fixed = config
        fixed.audio = AudioPolicy(sampleRate: config.audio.sampleRate, channels: .mono, duration: 11.0, resampler: config.audio.resampler)
        XCTAssertEqual(fixed.output.waveform, .float32)
        fixed.inputs.splits = ["dev_train"]
        let fixedReader = try StoreReader(manifest: try ingest(fixed, into: "fixed").manifestURL)
        let ids = try reader.readStrings("meta/id"), fixedIds = try fixedReader.readStrings("meta/id")
        let toyCar = try XCTUnwrap(types.firstIndex(of: "ToyCar"))
        let other = try XCTUnwrap(fixedIds.firstIndex(of: ids[toyCar]))
        XCTAssertEqual(try reader.readRow(toyCar, columns: ["features/sgram128", "audio/waveform"]),
                       try fixedReader.readRow(other, columns: ["features/sgram128", "audio/waveform"]))
        let card = try String(contentsOf: result.manifestURL.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(card.contains("| `features/sgram128` | float32 | [1, T, 128] |") && card.contains("_offsets"), card)
    }

    /// ffmamba-seld with whole recordings: features [7, T, 128] and targets [T_label, ...] of the same
    /// recording, label frame k over feature frames 8k ..< 8k + 8 (hop 300 at 24 kHz, 100-ms labels),
    /// equal to a fixed-length store whose duration is the files' 3 s; a stereo file rejected inside a
    /// streamed shard leaves the others; two workers then merge give one process's bytes.
    func testSELDWholeRecordingsAlignAndMergeByteIdentically() throws {
        let data = root.appendingPathComponent("data")
        _ = try STARSS22Synth().generate(root: data, perClass: 1, seed: 0, durationSeconds: 3)
        let stereo = data.appendingPathComponent("STARSS22/foa_dev/dev-test-tau/fold4_room2_mix009.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 24000, channels: [[Float](repeating: 0.1, count: 4800), [Float](repeating: 0.1, count: 4800)]),
                                  to: stereo, format: .pcm16)
        try "0,1,0,10,2\n".write(to: data.appendingPathComponent("STARSS22/metadata_dev/dev-test-tau/fold4_room2_mix009.csv"),
                                 atomically: true, encoding: .utf8)
        var config = try load("ffmamba-seld")
        config.augment = nil
        config.inputs.adpit = true
        config.output.shardRows = 2
        var kept = config
        kept.audio = AudioPolicy(sampleRate: 24000, channels: .keep, resampler: config.audio.resampler, expectChannels: [4], length: .keep)
        let single = try ingest(kept, into: "single")
        XCTAssertEqual(single.rejected.map(\.path), [stereo.path])
        XCTAssertEqual(single.rows, 5)   // 4 development recordings and the synthetic unlabeled eval one
        let reader = try StoreReader(manifest: single.manifestURL)
        let columns = Dictionary(uniqueKeysWithValues: reader.columns.map { ($0.name, $0) })
        XCTAssertEqual(columns["features/foa7"]?.rowShape, [7, 128])
        XCTAssertEqual(columns["features/foa7"]?.frameRate, 80)
        XCTAssertEqual(columns["targets/activity"]?.rowShape, [13])
        XCTAssertEqual(columns["targets/activity"]?.frameRate, 10)
        XCTAssertEqual(columns["targets/doa"]?.rowShape, [3, 13, 3])
        XCTAssertEqual(columns["targets/adpit"]?.rowShape, [6, 4, 13])

        var fixed = config
        fixed.audio.duration = 3.0
        fixed.audio.segmentHop = nil
        let fixedReader = try StoreReader(manifest: try ingest(fixed, into: "fixed").manifestURL)
        let ids = try reader.readStrings("meta/id"), fixedIds = try fixedReader.readStrings("meta/id")
        let names = ["features/foa7", "targets/activity", "targets/doa", "targets/adpit"]
        for (i, id) in ids.enumerated() {
            let row = try reader.readRow(i, columns: names)
            XCTAssertEqual(try XCTUnwrap(row.floats("features/foa7")).count, 7 * 240 * 128, id)   // the baseline's frames are not centred: 3 s x 80
            XCTAssertEqual(try XCTUnwrap(row.floats("targets/activity")).count, 30 * 13, id)
            let fixedRow = try fixedReader.readRow(try XCTUnwrap(fixedIds.firstIndex(of: id)), columns: names)
            if id.contains("/eval/") {
                // Unlabeled: its targets are NaN ("unknown") in both stores, which == cannot compare.
                XCTAssertEqual(row.floats("features/foa7"), fixedRow.floats("features/foa7"), id)
                XCTAssertTrue(try XCTUnwrap(row.floats("targets/activity")).allSatisfy(\.isNaN), id)
            } else {
                XCTAssertEqual(row, fixedRow, id)
            }
        }
        // Per-band statistics over rows of their own length: those of the fixed 3-s rows.
        func statistics(_ reader: StoreReader) throws -> String {
            try String(contentsOf: reader.directory.appendingPathComponent("reports/feature_stats.csv"), encoding: .utf8)
        }
        XCTAssertEqual(try statistics(reader), try statistics(fixedReader))
        XCTAssertGreaterThan(try statistics(reader).split(separator: "\n").count, 7 * 128)

        for index in 0..<2 {
            _ = try ingest(kept, into: "merged", threads: 1, partition: try ShardPartition(index: index, count: 2))
        }
        _ = try AugmentReport.finalizeStore(at: root.appendingPathComponent("merged"))
        let expected = try PipelineFixture.files(under: root.appendingPathComponent("single"))
        var actual = try PipelineFixture.files(under: root.appendingPathComponent("merged"))
        XCTAssertNotNil(actual.removeValue(forKey: "partition.json"))
        XCTAssertEqual(Set(actual.keys), Set(expected.keys))
        for (name, bytes) in expected { XCTAssertEqual(actual[name], bytes, "\(name) differs between merged and single") }
        XCTAssertTrue(try StoreReader(manifest: root.appendingPathComponent("merged")).verify().isValid)

        // Interrupted after one shard, then resumed with one thread: the same bytes again.
        _ = try? ingest(kept, into: "resumed", stopAfterShards: 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("resumed/manifest.json").path))
        _ = try ingest(kept, into: "resumed", threads: 1)
        let resumed = try PipelineFixture.files(under: root.appendingPathComponent("resumed"))
        XCTAssertEqual(Set(resumed.keys), Set(expected.keys))
        for (name, bytes) in expected { XCTAssertEqual(resumed[name], bytes, "\(name) differs between resumed and single") }
    }
}
