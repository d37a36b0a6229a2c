import Foundation
import Randomness
import Store
import TestSupport
import XCTest

/// A store with a damaged shard, as a user meets it through `pipe labels merge` and `pipe info`:
/// every damage is refused with a message naming the shard and a non-zero status, never a signal
/// (HDF5 crashed on 2 of 40 such shards) and never a view built over the damage (7 of 40 did).
///
/// 40 seeded damages of the one shard: single flipped bytes and overwritten or zeroed regions, half
/// of them in the first 4 KiB where HDF5 keeps its superblock and object headers, the rest anywhere.
final class DamagedStoreTests: XCTestCase {
    static let seed: UInt64 = 20_261_201
    static let damages = 40
    var fixture: PipelineFixture!
    var store: URL!
    let taxonomy = "manifests/taxonomies/asc10.yaml"

    override func setUpWithError() throws {
        try PipeChild.requireBinary()
        fixture = try PipelineFixture(corpora: ["tau2020"], perClass: 1)
        let pipeline = fixture.url("short.yaml")
        let yaml = try String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 10.0", with: "duration: 1.0")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        store = fixture.url("store")
        let ending = try PipeChild.run(["ingest", "tau2020", "--pipeline", pipeline.path, "--data", fixture.data.path,
                                        "--out", store.path, "--progress", "none", "--threads", "1"])
        XCTAssertEqual(ending.status, 0, ending.err)
    }

    override func tearDown() { fixture?.remove() }

    /// The undamaged store goes through both commands: the refusals below are the damage's doing.
    func testIntactStoreIsRead() throws {
        let view = fixture.url("view")
        let merged = try PipeChild.run(["labels", "merge", "--taxonomy", taxonomy, store.path, "--out", view.path])
        XCTAssertEqual(merged.status, 0, merged.err)
        XCTAssertEqual(try PipeChild.run(["info", store.path]).status, 0)
    }

    func testEveryDamagedShardIsRefusedByName() throws {
        let manifest = try Manifest.load(from: store.appendingPathComponent("manifest.json"))
        XCTAssertEqual(manifest.shards.count, 1)
        let shardName = try XCTUnwrap(manifest.shards.first?.file)
        let original = try Data(contentsOf: store.appendingPathComponent(shardName))
        var random = SplitMix64(seed: Self.seed)
        var kinds: [String: Int] = [:]
        for trial in 0..<Self.damages {
            let (damaged, kind) = Self.damage(original, trial: trial, random: &random)
            XCTAssertNotEqual(damaged, original, "trial \(trial): no byte changed")
            kinds[kind, default: 0] += 1
            let copy = fixture.url("damaged-\(trial)")
            try FileManager.default.copyItem(at: store, to: copy)
            try damaged.write(to: copy.appendingPathComponent(shardName))
            let shardPath = copy.appendingPathComponent(shardName).path

            let view = fixture.url("view-\(trial)")
            let merged = try PipeChild.run(["labels", "merge", "--taxonomy", taxonomy, copy.path, "--out", view.path])
            let info = try PipeChild.run(["info", copy.path])
            for (command, ending) in [("labels merge", merged), ("info", info)] {
                let label = "trial \(trial) (\(kind)), pipe \(command)"
                XCTAssertFalse(ending.signaled, "\(label): died of signal \(ending.status)")
                XCTAssertNotEqual(ending.status, 0, "\(label): exit 0 over a damaged shard")
                XCTAssertTrue(ending.err.contains(shardPath), "\(label): the message does not name the shard: \(ending.err)")
                XCTAssertFalse(ending.err.contains("HDF5-DIAG"), "\(label): HDF5 printed its own error stack")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: view.appendingPathComponent("manifest.json").path),
                           "trial \(trial) (\(kind)): a view was built over the damage")
            try? FileManager.default.removeItem(at: copy)
            try? FileManager.default.removeItem(at: view)
        }
        print("damaged shard (\(original.count) bytes), seed \(Self.seed): \(Self.damages) damages "
              + kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
              + "; each refused by labels merge and info, naming the shard, no signal, no view")
    }

    /// Damage number `trial`: a flipped byte (trials 0, 3, 6, …), a region of random bytes or a
    /// zeroed region; even trials hit the first 4 KiB.
    static func damage(_ data: Data, trial: Int, random: inout SplitMix64) -> (Data, String) {
        var bytes = [UInt8](data)
        let window = trial % 2 == 0 ? min(4096, bytes.count) : bytes.count
        let offset = random.nextInt(below: window)
        switch trial % 3 {
        case 0:
            bytes[offset] ^= UInt8(1 + random.nextInt(below: 255))
            return (Data(bytes), "flipped byte")
        case 1:
            let length = min(16 + random.nextInt(below: 497), bytes.count - offset)
            for index in offset..<(offset + length) { bytes[index] = UInt8(random.nextInt(below: 256)) }
            if Data(bytes) == data { bytes[offset] ^= 0xFF }
            return (Data(bytes), "random region")
        default:
            let length = min(16 + random.nextInt(below: 497), bytes.count - offset)
            for index in offset..<(offset + length) { bytes[index] = 0 }
            if Data(bytes) == data { bytes[offset] ^= 0xFF }
            return (Data(bytes), "zeroed region")
        }
    }
}
