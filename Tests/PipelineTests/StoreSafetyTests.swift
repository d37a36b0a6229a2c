import Corpora
import Foundation
import Pipeline
import Randomness
import Store
import XCTest

/// The integrity holes of issue 6, end to end through `Ingest.run`: resume by checksum, output that
/// is never replaced by surprise, locks, (recording, variant) rows, and finalizing as its own step.
final class StoreSafetyTests: XCTestCase {
    var fixture: PipelineFixture!

    override func setUpWithError() throws { fixture = try PipelineFixture() }
    override func tearDown() { fixture.remove() }

    func request(_ config: PipelineConfig, out: String, threads: Int = 2) -> Ingest.Request {
        Ingest.Request(config: config, dataRoot: fixture.data, output: fixture.url(out), threads: threads, progress: .silent)
    }

    func ingest(_ config: PipelineConfig, out: String, _ adjust: (inout Ingest.Request) -> Void = { _ in }) throws -> Ingest.Result {
        var request = request(config, out: out)
        adjust(&request)
        return try Ingest.run(request)
    }

    /// A flipped byte (same size) is recomputed on resume, and so is a shard whose sidecar was deleted;
    /// the store then equals a fresh one and verifies.
    func testResumeRecomputesDamagedShardsAndShardsWithoutSidecar() throws {
        let config = try PipelineFixture.config()
        let first = try ingest(config, out: "store")
        XCTAssertGreaterThan(first.shardsWritten, 2)
        let shard = fixture.url("store/shards/part-00000.h5")
        var bytes = try Data(contentsOf: shard)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: shard)
        try FileManager.default.removeItem(at: fixture.url("store/shards/part-00001.json"))

        let resumed = try ingest(config, out: "store")
        XCTAssertEqual(resumed.shardsWritten, 2, "the damaged shard and the one without a sidecar are recomputed")
        XCTAssertEqual(resumed.shardsReused, first.shardsWritten - 2)
        XCTAssertTrue(try StoreReader(manifest: resumed.manifestURL).verify().isValid)
        _ = try ingest(config, out: "fresh")
        XCTAssertEqual(try PipelineFixture.files(under: fixture.url("store")),
                       try PipelineFixture.files(under: fixture.url("fresh")))
    }

    /// `--out` at a store of another seed, at a view or at someone's folder is refused before any
    /// work; an empty folder is fine; `overwrite` keeps the user's own files.
    func testOutputIsNeverReplacedBySurprise() throws {
        var config = try PipelineFixture.config()
        let original = try ingest(config, out: "store")
        let before = try PipelineFixture.files(under: fixture.url("store"))
        let originalHash = try Manifest.load(from: original.manifestURL).configHash

        config.output.seed = 99
        XCTAssertThrowsError(try ingest(config, out: "store")) { error in
            XCTAssertTrue("\(error)".contains(self.fixture.url("store").path), "\(error)")
            XCTAssertTrue("\(error)".contains("another configuration"), "\(error)")
        }
        XCTAssertEqual(try PipelineFixture.files(under: fixture.url("store")), before, "a refused run touches nothing")

        let notes = fixture.url("store/my-notes.txt")
        try Data("keep me".utf8).write(to: notes)
        let replaced = try ingest(config, out: "store") { $0.overwrite = true }
        XCTAssertEqual(try Data(contentsOf: notes), Data("keep me".utf8))
        XCTAssertTrue(try StoreReader(manifest: replaced.manifestURL).verify().isValid)
        XCTAssertNotEqual(try Manifest.load(from: replaced.manifestURL).configHash, originalHash)

        // Someone's folder; an empty folder.
        let papers = fixture.url("papers")
        try FileManager.default.createDirectory(at: papers, withIntermediateDirectories: true)
        try Data("draft".utf8).write(to: papers.appendingPathComponent("draft.tex"))
        XCTAssertThrowsError(try ingest(config, out: "papers")) { error in
            XCTAssertTrue("\(error)".contains("draft.tex"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: papers.path), ["draft.tex"])
        try FileManager.default.createDirectory(at: fixture.url("empty"), withIntermediateDirectories: true)
        XCTAssertNoThrow(try ingest(config, out: "empty"))
    }

    /// A shard another process is writing is not written a second time: the run is refused before
    /// any work, naming the shard; once the lock is gone the run completes.
    func testASecondWriterOfTheSameShardsIsRefused() throws {
        let config = try PipelineFixture.config()
        let partial = try ingest(config, out: "store") { $0.stopAfterShards = 1 }
        XCTAssertTrue(partial.interrupted)
        let held = try ShardLock.acquire(fixture.url("store/shards/part-00002.lock"))
        XCTAssertThrowsError(try ingest(config, out: "store")) { error in
            XCTAssertTrue("\(error)".contains("part-00002.lock") && "\(error)".contains("locked by another process"), "\(error)")
        }
        let shards = try FileManager.default.contentsOfDirectory(atPath: fixture.url("store/shards").path)
        XCTAssertEqual(shards.filter { $0.hasSuffix(".h5") }, ["part-00000.h5"], "nothing written by the refused run")
        held.release()
        let done = try ingest(config, out: "store")
        XCTAssertTrue(try StoreReader(manifest: done.manifestURL).verify().isValid)
    }

    /// Two workers write disjoint shards into one folder at the same time and leave the manifest;
    /// finalizing afterwards (any process) gives the store a single process writes, byte for byte.
    func testDisjointWorkersThenFinalizeEqualOneProcess() throws {
        let config = try PipelineFixture.config()
        let shardCount = try ingest(config, out: "single").shardsWritten
        XCTAssertGreaterThan(shardCount, 2)
        let errors = ErrorBox()
        let group = DispatchGroup()
        for worker in 0..<2 {
            group.enter()
            let request = { () -> Ingest.Request in
                var r = self.request(config, out: "parallel", threads: 1)
                r.shardIndices = Set((0..<shardCount).filter { $0 % 2 == worker })
                r.finalize = false
                return r
            }()
            Thread {
                do { _ = try Ingest.run(request) } catch { errors.add(error) }
                group.leave()
            }.start()
        }
        group.wait()
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.url("parallel/manifest.json").path))
        try StoreFolder.finalize(at: fixture.url("parallel"))
        XCTAssertEqual(try PipelineFixture.files(under: fixture.url("parallel")),
                       try PipelineFixture.files(under: fixture.url("single")))
    }

    /// Two variants per recording: twice the rows, every (id, variant) once, distinct seeds that are
    /// `ClipSeed`'s and the same on a rerun.
    func testTwoVariantsPerRecordingEndToEnd() throws {
        let config = try PipelineFixture.config()
        let single = try ingest(config, out: "one")
        let result = try ingest(config, out: "two") { $0.variants = 2 }
        XCTAssertEqual(result.planned, 2 * single.planned)
        XCTAssertEqual(result.rows, 2 * single.rows)
        let reader = try StoreReader(manifest: result.manifestURL)
        let ids = try reader.readStrings("meta/id")
        let variants = try reader.readInt32("meta/variant")
        let seeds = try reader.readUInt64("meta/seed")
        XCTAssertEqual(Set(zip(ids, variants).map { "\($0)#\($1)" }).count, ids.count)
        XCTAssertEqual(Set(variants), [0, 1])
        XCTAssertEqual(Set(seeds).count, seeds.count, "every row has its own seed")
        for (id, (variant, seed)) in zip(ids, zip(variants, seeds)) {
            XCTAssertEqual(seed, ClipSeed.seed(runSeed: config.output.seed, id: id, variant: Int(variant)))
        }
        // Variant 0 carries the seed the single-variant store gives the same recording.
        let singleSeeds = Dictionary(uniqueKeysWithValues: zip(try StoreReader(manifest: single.manifestURL).readStrings("meta/id"),
                                                               try StoreReader(manifest: single.manifestURL).readUInt64("meta/seed")))
        for (id, (variant, seed)) in zip(ids, zip(variants, seeds)) where variant == 0 { XCTAssertEqual(singleSeeds[id], seed) }
        XCTAssertNotEqual(try Manifest.load(from: result.manifestURL).configHash,
                          try Manifest.load(from: single.manifestURL).configHash)
        _ = try ingest(config, out: "again") { $0.variants = 2 }
        XCTAssertEqual(try PipelineFixture.files(under: fixture.url("two")),
                       try PipelineFixture.files(under: fixture.url("again")))
    }
}

/// Errors collected from worker threads.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func add(_ error: Error) { lock.lock(); errors.append(error); lock.unlock() }
    var all: [Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
