import Foundation
import Store
import TestSupport
import XCTest

/// The three paper pipelines as a user runs them: `pipe synth <corpus>` in the published layout, then
/// `pipe ingest` with the shipped pipeline unchanged, `pipe verify`; the refusals of clip lengths that
/// do not fit, and `--format` for the SELD corpora.
final class PaperPipelinesCLITests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = try TemporaryFolder.forTest(self, label: "paper-cli")
    }

    func pipe(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.pipe(arguments)
    }

    func synth(_ corpora: [String], _ extra: [String] = []) throws -> String {
        let data = root.appendingPathComponent("data").path
        let result = try pipe(["synth"] + corpora + ["--out", data, "--per-class", "1"] + extra)
        XCTAssertEqual(result.status, 0, result.err)
        return data
    }

    /// ingest, then verify; returns the store's reader.
    func ingest(_ arguments: [String], store: String) throws -> StoreReader {
        let out = root.appendingPathComponent(store).path
        let result = try pipe(["ingest"] + arguments + ["--out", out, "--threads", "2", "--progress", "none"])
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.err)")
        let verified = try pipe(["verify", out])
        XCTAssertEqual(verified.status, 0, verified.err)
        return try StoreReader(manifest: URL(fileURLWithPath: out).appendingPathComponent("manifest.json"))
    }

    func testDSFlexiNetOnTAU2022() throws {
        let data = try synth(["tau2022", "micirp"])
        let reader = try ingest(["--pipeline", "ds-flexinet", "--data", data], store: "flexinet")
        XCTAssertEqual(reader.columns.first { $0.name == "features/mel256" }?.rowShape, [1, 64, 256])
        let ids = try reader.readStrings("meta/id"), variants = try reader.readInt32("meta/variant")
        XCTAssertTrue(ids.allSatisfy { $0.hasPrefix("tau2022/") })
        XCTAssertGreaterThan(variants.filter { $0 == 1 }.count, 0, "ADIR variants of device-a training clips")
        XCTAssertEqual(Set(try reader.readStrings("meta/split")), ["train", "test", "unused"])
    }

    func testESTMOnDCASE2020T2() throws {
        let data = try synth(["dcase2020t2"])
        let reader = try ingest(["--pipeline", "estm-dcase2020t2", "--data", data], store: "estm")
        // 41 (type, ID) pairs: 1 train, 1 normal and 1 anomalous test clip each.
        XCTAssertEqual(reader.rowCount, 41 * 3)
        XCTAssertEqual(reader.classes.count, 41)
        XCTAssertEqual(reader.columns.first { $0.name == "features/sgram128" }?.rowShape, [1, 313, 128])
        var conditions: [String: Int] = [:]
        for c in try reader.readStrings("meta/condition") { conditions[c, default: 0] += 1 }
        XCTAssertEqual(conditions, ["normal": 82, "anomaly": 41], "eval_data_list.csv labels the evaluation test files")
    }

    /// ffmamba-seld on STARSS22 (FOA, then `--format mic`) and on TAU-NIGENS 2021, 10-s segments.
    func testFFMambaOnSTARSS22AndTAUNIGENS2021() throws {
        let data = try synth(["starss22", "tau-nigens2021"], ["--duration", "10"])
        let foa = try ingest(["--pipeline", "ffmamba-seld", "--data", data], store: "foa")
        // 4 development recordings (2 of them training ones, each with 2 augmented variants) and the
        // unlabeled evaluation recording.
        XCTAssertEqual(foa.rowCount, 5 + 2 * 2)
        XCTAssertEqual(foa.columns.first { $0.name == "features/foa7" }?.rowShape, [7, 800, 128])
        XCTAssertEqual(foa.columns.first { $0.name == "targets/doa" }?.rowShape, [100, 3, 13, 3])
        XCTAssertEqual(Set(try foa.readStrings("meta/format")), ["foa"])
        XCTAssertEqual(Set(try foa.readStrings("meta/split")), ["train", "test", "unlabeled"])

        let mic = try ingest(["starss22", "--pipeline", "ffmamba-seld", "--format", "mic", "--data", data], store: "mic")
        XCTAssertEqual(Set(try mic.readStrings("meta/format")), ["mic"])
        XCTAssertEqual(mic.rowCount, foa.rowCount)

        let nigens = try ingest(["tau-nigens2021", "--pipeline", "ffmamba-seld", "--data", data], store: "nigens")
        XCTAssertEqual(nigens.classes.count, 12)
        XCTAssertEqual(Set(try nigens.readStrings("meta/corpus_split")), ["dev-train", "dev-val", "dev-test", "eval-test"])
    }

    /// `--format` is for the SELD corpora only, and takes foa or mic.
    func testFormatOptionIsCheckedBeforeWork() throws {
        let data = try synth(["tau2022"])
        let out = root.appendingPathComponent("refused")
        let bad = try pipe(["ingest", "starss22", "--pipeline", "ffmamba-seld", "--format", "ambix", "--data", data, "--out", out.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("--format takes foa or mic, not 'ambix'"), bad.err)
        let noFormats = try pipe(["ingest", "tau2022", "--pipeline", "ds-flexinet", "--format", "mic", "--data", data, "--out", out.path])
        XCTAssertEqual(noFormats.status, 1)
        XCTAssertTrue(noFormats.err.contains("tau2022 has no formats to choose"), noFormats.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    /// 1-s TAU 2022 clips under the 10-s default pipeline: refused, naming the pipeline to use.
    func testDefaultPipelineOnTAU2022NamesDSFlexiNet() throws {
        let data = try synth(["tau2022"])
        let out = root.appendingPathComponent("refused")
        let result = try pipe(["ingest", "tau2022", "--data", data, "--out", out.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("tau2022 clips are 1.0 s long") && result.err.contains("ds-flexinet"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    /// 1-s TAU 2022 with 3-s CAS 2023 clips: refused before any work, naming both and their lengths,
    /// unless the pipeline cuts every recording into segments of its duration.
    func testMixedClipLengthsNeedTheirWayToBeAlike() throws {
        let data = try synth(["tau2022", "micirp"])
        let cas = try pipe(["synth", "cas2023", "--out", data, "--per-class", "1", "--duration", "3"])
        XCTAssertEqual(cas.status, 0, cas.err)
        let out = root.appendingPathComponent("mixed")
        let refused = try pipe(["ingest", "tau2022", "cas2023", "--pipeline", "ds-flexinet", "--data", data, "--out", out.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("corpora of different clip lengths (tau2022 1 s: kept; cas2023 3 s: cut to its first 1 s)"), refused.err)
        XCTAssertTrue(refused.err.contains("audio.segment_hop"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))

        let yaml = try String(contentsOf: Repository.url("pipelines/ds-flexinet.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  duration: 1.0\n", with: "  duration: 1.0\n  segment_hop: 1.0\n")
        XCTAssertTrue(yaml.contains("segment_hop: 1.0"))
        let pipeline = root.appendingPathComponent("flexinet-segments.yaml")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        let reader = try ingest(["tau2022", "cas2023", "--pipeline", pipeline.path, "--data", data], store: "segments")
        let ids = try reader.readStrings("meta/id"), variants = try reader.readInt32("meta/variant")
        let casRows = zip(ids, variants).filter { $0.0.hasPrefix("cas2023/") && $0.1 == 0 }.map(\.0)
        let casClips = Set(casRows.map { String($0.split(separator: "#")[0]) })
        XCTAssertEqual(casRows.count, 3 * casClips.count, "each 3-s CAS clip gives three 1-s segments")
        XCTAssertGreaterThan(casClips.count, 0)
    }
}
