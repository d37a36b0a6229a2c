import Foundation
import Store
import TestSupport
import XCTest

/// The metadata quirks of datasets.md for the TAU 2022, DCASE 2020 T2 and SELD corpora, through
/// `pipe ingest`: each is a message naming the file (and line), the run goes on (exit 3: done, with
/// rejections), a bad label line drops that line and not the recording, and the manifest lists it.
final class CorpusQuirksCLITests: XCTestCase {
    var root: URL!
    var data: URL!

    override func setUpWithError() throws {
        root = try TemporaryFolder.forTest(self, label: "quirks-cli")
        data = root.appendingPathComponent("data")
    }

    func pipe(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.pipe(arguments)
    }

    func write(_ text: String, _ relative: String) throws {
        let url = data.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Runs `pipe ingest`, expects exit 3 and every `(file, line, reason part)` in stderr and in the manifest.
    func ingestWithRejections(_ arguments: [String], expect: [(String, Int?, String)]) throws -> StoreReader {
        let out = root.appendingPathComponent("store")
        let result = try pipe(["ingest"] + arguments + ["--data", data.path, "--out", out.path, "--threads", "2", "--progress", "none"])
        XCTAssertEqual(result.status, 3, result.err)
        let reader = try StoreReader(manifest: out.appendingPathComponent("manifest.json"))
        for (file, line, reason) in expect {
            let printed = "\(file)" + (line.map { ":\($0)" } ?? "") + ": "
            XCTAssertTrue(result.err.components(separatedBy: "\n").contains { $0.contains(printed) && $0.contains(reason) },
                          "stderr lacks \(printed)…\(reason):\n\(result.err)")
            XCTAssertTrue(reader.manifest.rejected.contains { $0.path.hasSuffix("/" + file) && $0.line == line && $0.reason.contains(reason) },
                          "manifest lacks \(file) \(line ?? 0) \(reason): \(reader.manifest.rejected)")
        }
        return reader
    }

    func testSELDQuirks() throws {
        let synth = try pipe(["synth", "starss22", "--out", data.path, "--per-class", "1", "--duration", "2"])
        XCTAssertEqual(synth.status, 0, synth.err)
        let corpus = "STARSS22"
        let mix001 = "\(corpus)/metadata_dev/dev-train-sony/fold3_room21_mix001.csv"
        var lines = try String(contentsOf: data.appendingPathComponent(mix001), encoding: .utf8)
        let good = lines.split(separator: "\n").count
        // README style with spaces (read), frame past the 20 of the 2-s file, unknown class, angles out of range.
        lines += "1, 8, 0, -40, 0\n25,1,1,10,0\n2,13,0,10,0\n3,1,0,200,0\n3,1,0,10,-95\n"
        try write(lines, mix001)
        // The README's copy-paste count (600 metadata files) is not what is read.
        try write("metadata_dev: 600 files\n", "\(corpus)/README.md")
        // A 2-channel WAV where FOA needs 4, with its CSV.
        let stereo = data.appendingPathComponent("\(corpus)/foa_dev/dev-test-tau/fold4_room2_mix009.wav")
        try FileManager.default.copyItem(at: data.appendingPathComponent("\(corpus)/foa_dev/dev-test-tau/fold4_room2_mix001.wav"), to: stereo)
        let sox = """
        import sys, wave
        src = wave.open(sys.argv[1]); frames = src.readframes(src.getnframes()); n = src.getnframes()
        out = wave.open(sys.argv[1] + ".tmp", "wb"); out.setnchannels(2); out.setsampwidth(2); out.setframerate(24000)
        out.writeframes(b"".join(frames[i * 8:i * 8 + 4] for i in range(n))); out.close()
        """
        let converted = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", sox, stereo.path])
        XCTAssertEqual(converted.status, 0, converted.err)
        try FileManager.default.removeItem(at: stereo)
        try FileManager.default.moveItem(atPath: stereo.path + ".tmp", toPath: stereo.path)
        try write("0,1,0,10,2\n", "\(corpus)/metadata_dev/dev-test-tau/fold4_room2_mix009.csv")
        // A WAV without its CSV, and a CSV without its WAV.
        try FileManager.default.removeItem(at: data.appendingPathComponent("\(corpus)/metadata_dev/dev-train-tau/fold3_room4_mix001.csv"))
        try write("0,1,0,10,2\n", "\(corpus)/metadata_dev/dev-test-sony/fold4_room23_mix007.csv")

        let pipeline = root.appendingPathComponent("ffmamba-2s.yaml")
        try String(contentsOf: Repository.url("pipelines/ffmamba-seld.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  duration: 10.0\n  segment_hop: 10.0\n", with: "  duration: 2.0\n  segment_hop: 2.0\n")
            .write(to: pipeline, atomically: true, encoding: .utf8)
        let reader = try ingestWithRejections(["--pipeline", pipeline.path], expect: [
            ("fold3_room21_mix001.csv", good + 2, "frame 25 is past the end of the audio (20 label frames"),
            ("fold3_room21_mix001.csv", good + 3, "class index 13 is not in 0...12"),
            ("fold3_room21_mix001.csv", good + 4, "azimuth 200 is outside [-180, 180]"),
            ("fold3_room21_mix001.csv", good + 5, "elevation -95 is outside [-90, 90]"),
            ("fold4_room2_mix009.wav", nil, "2 channels, expected 4"),
            ("fold3_room4_mix001.wav", nil, "has no metadata metadata_dev/dev-train-tau/fold3_room4_mix001.csv"),
            ("fold4_room23_mix007.csv", nil, "has no recording foa_dev/dev-test-sony/fold4_room23_mix007.wav"),
        ])
        XCTAssertEqual(reader.manifest.rejected.count, 7, "\(reader.manifest.rejected)")
        // The recording with the bad lines is kept, with the good lines' targets (the spaced one included).
        let ids = try reader.readStrings("meta/id"), variants = try reader.readInt32("meta/variant")
        let row = try XCTUnwrap(ids.indices.first { ids[$0] == "starss22/dev-train-sony/fold3_room21_mix001#0" && variants[$0] == 0 })
        let activity = try XCTUnwrap(try reader.readRow(row, columns: ["targets/activity"]).floats("targets/activity"))
        XCTAssertEqual(activity[1 * 13 + 8], 1, "the spaced line: class 8 in frame 1")
        XCTAssertEqual(activity[2 * 13 + 12], 0, "no class 13 (there are 13 classes, 0…12)")
        // Counts come from the files: 3 development recordings and the evaluation one, not the README's.
        XCTAssertEqual(Set(ids.filter { !$0.isEmpty }.map { String($0.split(separator: "#")[0]) }).count, 4)
    }

    func testDCASE2020T2EvalListQuirks() throws {
        let synth = try pipe(["synth", "dcase2020t2", "--out", data.path, "--per-class", "1", "--duration", "1"])
        XCTAssertEqual(synth.status, 0, synth.err)
        let list = data.appendingPathComponent("DCASE2020-Task2/eval_data_list.csv")
        var lines = try String(contentsOf: list, encoding: .utf8).components(separatedBy: "\n")
        // The `pump` section header (one field) is what says whose lines follow; removed, pump's
        // lines fall under the previous section's type and are missing there.
        let pump = try XCTUnwrap(lines.firstIndex(of: "pump"))
        lines[pump] = "Pump"
        lines.insert("id_05_00000000.wav,2", at: 1)
        try lines.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        let pipeline = root.appendingPathComponent("estm-1s.yaml")
        try String(contentsOf: Repository.url("pipelines/estm-dcase2020t2.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 10.0", with: "duration: 1.0")
            .write(to: pipeline, atomically: true, encoding: .utf8)
        let reader = try ingestWithRejections(["--pipeline", pipeline.path], expect: [
            ("eval_data_list.csv", 2, "expected 1 field (a machine type) or 3 comma-separated fields"),
            ("eval_data_list.csv", pump + 2, "section header 'Pump' is not one of the six machine types"),
            ("eval_data_list.csv", nil, "files of eval_data/pump/test are not listed (it has no 'pump' section)"),
        ])
        // The run went on: the pump evaluation files are kept, their condition unknown; the others labelled.
        let types = try reader.readStrings("meta/machine_type"), splits = try reader.readStrings("meta/corpus_split")
        let conditions = try reader.readStrings("meta/condition")
        let pumpEval = types.indices.filter { types[$0] == "pump" && splits[$0] == "eval_test" }
        XCTAssertEqual(pumpEval.count, 6)
        XCTAssertTrue(pumpEval.allSatisfy { conditions[$0] == "unknown" })
        XCTAssertTrue(types.indices.filter { types[$0] == "fan" && splits[$0] == "eval_test" }.allSatisfy { conditions[$0] != "unknown" })
    }

    /// TAU 2022: the README's per-device table counts 30 files that the setup does not list and the
    /// disk does not hold; the counts come from the files, and a setup row whose audio is missing is
    /// named by line.
    func testTAU2022CountsComeFromTheFiles() throws {
        let synth = try pipe(["synth", "tau2022", "micirp", "--out", data.path, "--per-class", "1"])
        XCTAssertEqual(synth.status, 0, synth.err)
        let corpus = data.appendingPathComponent("TAU-urban-acoustic-scenes-2022-mobile-development")
        try write("| Device A | 102150 |\ntotal 610500\n", "TAU-urban-acoustic-scenes-2022-mobile-development/README.md")
        let train = try String(contentsOf: corpus.appendingPathComponent("evaluation_setup/fold1_train.csv"), encoding: .utf8)
            .components(separatedBy: "\n")
        let listed = train[1].components(separatedBy: "\t")[0]
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(listed))
        let reader = try ingestWithRejections(["--pipeline", "ds-flexinet"], expect: [
            ("fold1_train.csv", 2, "is listed but missing"),
        ])
        let audio = try FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("audio").path)
        let variants = try reader.readInt32("meta/variant")
        XCTAssertEqual(variants.filter { $0 == 0 }.count, audio.count, "one row per file on disk")
    }
}
