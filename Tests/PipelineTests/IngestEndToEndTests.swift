import AudioIO
import Corpora
import DSP
import Features
import Foundation
import Pipeline
import Store
import XCTest

/// `pipe ingest` on synthetic corpora in their published layouts, through the library entry point.
final class IngestEndToEndTests: XCTestCase {
    var fixture: PipelineFixture!

    override func setUpWithError() throws { fixture = try PipelineFixture() }
    override func tearDown() { fixture.remove() }

    func ingest(_ config: PipelineConfig, out: String, threads: Int = 2, stopAfterShards: Int? = nil) throws -> Ingest.Result {
        try Ingest.run(Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url(out),
                                      threads: threads, progress: .silent, stopAfterShards: stopAfterShards))
    }

    func testIngestWritesEveryRecordingWithItsMetadataAndExactFeatures() throws {
        let config = try PipelineFixture.config()
        let result = try ingest(config, out: "store")
        XCTAssertTrue(result.rejected.isEmpty, "\(result.rejected)")
        XCTAssertEqual(result.rows, result.planned)

        // Every recording of the three catalogs is in the store, once.
        var expected: [String: Recording] = [:]
        for name in config.inputs.corpora {
            let recipe = try XCTUnwrap(CorpusRegistry.recipe(named: name))
            for r in try recipe.catalog(root: fixture.data.appendingPathComponent(recipe.folderName)).recordings { expected[r.id] = r }
        }
        let reader = try StoreReader(manifest: result.manifestURL)
        XCTAssertEqual(reader.rowCount, expected.count)
        let ids = try reader.readColumn("meta/id").compactMap(\.string)
        XCTAssertEqual(Set(ids), Set(expected.keys))

        // Metadata columns carry the catalog's facts; labels index the manifest's class list.
        let manifest = try Manifest.load(from: result.manifestURL)
        for i in stride(from: 0, to: reader.rowCount, by: 5) {
            let row = try reader.readRow(i)
            let recording = try XCTUnwrap(expected[try XCTUnwrap(row.string("meta/id"))])
            XCTAssertEqual(row.string("meta/source"), recording.corpus)
            XCTAssertEqual(row.string("meta/corpus_split"), recording.split)
            XCTAssertEqual(row.string("meta/split"),
                           try XCTUnwrap(CorpusRegistry.recipe(named: recording.corpus)).datasetSplit(of: recording).rawValue)
            XCTAssertEqual(row.string("meta/city"), recording.city ?? "")
            XCTAssertEqual(row.string("meta/device"), recording.device ?? "")
            XCTAssertEqual(row.int64("meta/time"), recording.recordTime ?? -1)
            let label = try XCTUnwrap(row.int32("meta/label"))
            XCTAssertEqual(label >= 0 ? manifest.classes[Int(label)] : nil, recording.label)

            // The stored log-mel equals the feature computed directly from the file.
            let audio = try AudioDecoder.decode(URL(fileURLWithPath: recording.path))
            let mono = try ChannelPolicy.mono.apply(to: audio, path: recording.path)
            let resampled = try mono.resampled(to: 44100, with: SoxrResampler()).fixedLength(44100)
            let direct = try config.features[0].makeExtractor().makeWorker().extract(resampled.channels)
            XCTAssertEqual(row.floats("features/logmel64"), direct.values, recording.id)
        }
        XCTAssertEqual(reader.columns.first { $0.name == "features/logmel64" }?.rowShape, [1, 51, 64])
    }

    /// A feature at another rate is computed from the file resampled straight to that rate, as
    /// `librosa.load(path, sr=22050)` would (SPS's code computed its MFCC that way).
    func testFeatureAtAnotherRateIsResampledFromTheFile() throws {
        var config = try PipelineFixture.config(corpora: ["cas2023"])
        var p = LogMelParameters()
        p.sr = 22050
        p.nMels = 40
        config.features.append(FeatureSpec(name: "logmel22k", parameters: p))
        let result = try ingest(config, out: "rates")
        let reader = try StoreReader(manifest: result.manifestURL)
        XCTAssertEqual(reader.columns.first { $0.name == "features/logmel22k" }?.rowShape, [1, 44, 40])
        let row = try reader.readRow(0)
        let catalog = try CAS2023Recipe().catalog(root: fixture.data)
        let recording = try XCTUnwrap(catalog.recordings.first { $0.id == row.string("meta/id") })
        let decoded = try ChannelPolicy.mono.apply(to: AudioDecoder.decode(URL(fileURLWithPath: recording.path)), path: "")
        let at22k = try decoded.resampled(to: 22050, with: SoxrResampler()).fixedLength(22050)
        let direct = try LogMel(name: "x", parameters: p).makeWorker().extract(at22k.channels)
        XCTAssertEqual(row.floats("features/logmel22k"), direct.values)
    }

    /// Same config and seed: byte-identical shards whatever the number of threads.
    func testShardsAreByteIdenticalAcrossThreadCounts() throws {
        let config = try PipelineFixture.config()
        _ = try ingest(config, out: "one", threads: 1)
        _ = try ingest(config, out: "two", threads: 2)
        _ = try ingest(config, out: "five", threads: 5)
        let one = try PipelineFixture.files(under: fixture.url("one"))
        XCTAssertFalse(one.filter { $0.key.hasSuffix(".h5") }.isEmpty)
        XCTAssertEqual(one, try PipelineFixture.files(under: fixture.url("two")))
        XCTAssertEqual(one, try PipelineFixture.files(under: fixture.url("five")))
    }

    /// An interrupted run leaves no half shard and no manifest; the rerun finishes the missing
    /// shards and the store equals an uninterrupted run's.
    func testInterruptedRunResumesToTheSameStore() throws {
        let config = try PipelineFixture.config()
        let partial = try ingest(config, out: "resumed", stopAfterShards: 2)
        XCTAssertTrue(partial.interrupted)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.manifestURL.path))
        let shards = try FileManager.default.contentsOfDirectory(atPath: fixture.url("resumed/shards").path)
        XCTAssertEqual(shards.filter { $0.hasSuffix(".h5") }.count, 2)
        XCTAssertTrue(shards.filter { $0.hasSuffix(".tmp") }.isEmpty)

        let resumed = try ingest(config, out: "resumed")
        XCTAssertEqual(resumed.shardsReused, 2)
        XCTAssertGreaterThan(resumed.shardsWritten, 0)
        _ = try ingest(config, out: "straight")
        XCTAssertEqual(try PipelineFixture.files(under: fixture.url("resumed")),
                       try PipelineFixture.files(under: fixture.url("straight")))
    }

    /// Rerunning into an existing store with another config is refused; with `overwrite` it rewrites
    /// the store completely: no shard of the old plan is left, and the store equals a fresh run's.
    func testRerunWithAnotherConfigLeavesNoStaleShards() throws {
        var config = try PipelineFixture.config(shardRows: 4)
        _ = try ingest(config, out: "reused")
        config.output.shardRows = 16
        XCTAssertThrowsError(try ingest(config, out: "reused")) { error in
            XCTAssertTrue("\(error)".contains("another configuration"), "\(error)")
        }
        _ = try Ingest.run(Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url("reused"),
                                          threads: 2, progress: .silent, overwrite: true))
        _ = try ingest(config, out: "fresh")
        XCTAssertEqual(try PipelineFixture.files(under: fixture.url("reused")),
                       try PipelineFixture.files(under: fixture.url("fresh")))
    }

    /// A different seed gives a different shard plan (and so a different row order).
    func testSeedChangesThePlan() throws {
        var config = try PipelineFixture.config()
        let a = try ingest(config, out: "a")
        config.output.seed = 99
        let b = try ingest(config, out: "b")
        let idsA = try StoreReader(manifest: a.manifestURL).readColumn("meta/id").compactMap(\.string)
        let idsB = try StoreReader(manifest: b.manifestURL).readColumn("meta/id").compactMap(\.string)
        XCTAssertEqual(Set(idsA), Set(idsB))
        XCTAssertNotEqual(idsA, idsB)
    }
}
