import AudioIO
import TestSupport
import XCTest
@testable import Corpora

/// The DCASE 2020 Task 2 recipe on its synthetic corpus (dev, additional train and eval test trees,
/// `eval_data_list.csv`) and on hand-made quirks of names, folders and the ground-truth list.
final class DCASE2020T2RecipeTests: XCTestCase {
    private let corpus = "DCASE2020-Task2"

    private func tally<T: Hashable>(_ recordings: [Recording], _ key: (Recording) -> T?) -> [T: Int] {
        var counts: [T: Int] = [:]
        for r in recordings { if let k = key(r) { counts[k, default: 0] += 1 } }
        return counts
    }

    func testSynthCorpusReadsBackWithPairsConditionsAndLengths() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let summary = try DCASE2020T2Synth().generate(root: dir.url, perClass: 1, seed: 2, durationSeconds: 0.5)
        let catalog = try DCASE2020T2Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map { $0.message }, [])
        XCTAssertEqual(catalog.recordings.count, summary.filesWritten)
        // 23 development pairs and 18 evaluation pairs (§5.2), 41 classes in all.
        XCTAssertEqual(catalog.classes, DCASE2020T2Recipe.classes)
        XCTAssertEqual(catalog.classes.count, 41)
        XCTAssertEqual(tally(catalog.recordings) { $0.split }, ["dev_train": 23, "dev_test": 46, "eval_train": 18, "eval_test": 36])
        XCTAssertEqual(tally(catalog.recordings) { $0.attributes?["condition"] }, ["normal": 23 + 23 + 18 + 18, "anomaly": 23 + 18])
        XCTAssertEqual(Set(catalog.recordings.compactMap { $0.attributes?["machine_type"] }), Set(DCASE2020T2Recipe.machineTypes))

        let evalFile = try XCTUnwrap(catalog.recordings.first { $0.id == "dcase2020t2/eval_data/ToyCar/test/id_05_00000001" })
        XCTAssertEqual(evalFile.label, "ToyCar/id_05")
        XCTAssertEqual(evalFile.attributes, ["machine_type": "ToyCar", "machine_id": "id_05", "condition": "anomaly"])
        XCTAssertEqual(DCASE2020T2Recipe().datasetSplit(of: evalFile), .test)
        let devFile = try XCTUnwrap(catalog.recordings.first { $0.id == "dcase2020t2/dev_data/fan/train/normal_id_00_00000000" })
        XCTAssertEqual(devFile.label, "fan/id_00")
        XCTAssertEqual(DCASE2020T2Recipe().datasetSplit(of: devFile), .train)

        // ToyCar clips are 10 % longer; the others have the asked length.
        XCTAssertEqual(try AudioDecoder.decode(URL(fileURLWithPath: evalFile.path)).channels[0].count, 8_800)
        XCTAssertEqual(try AudioDecoder.decode(URL(fileURLWithPath: devFile.path)).channels[0].count, 8_000)
    }

    /// An anomaly differs from the normal sound of its machine: the share of its energy at the fault
    /// frequency (a Goertzel filter there) is higher than any normal clip's of the same pair.
    func testSynthAnomaliesDifferFromNormalSounds() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        _ = try DCASE2020T2Synth().generate(root: dir.url, perClass: 1, seed: 4, durationSeconds: 1)
        func share(_ relative: String, at frequency: Double) throws -> Double {
            let x = try AudioDecoder.decode(dir.url.appendingPathComponent("\(corpus)/\(relative)")).channels[0].map(Double.init)
            let w = 2 * Double.pi * frequency / Double(DCASE2020T2Synth.sampleRate)
            var re = 0.0, im = 0.0
            for (t, v) in x.enumerated() { re += v * cos(w * Double(t)); im -= v * sin(w * Double(t)) }
            return (re * re + im * im) / Double(x.count) / x.reduce(0) { $0 + $1 * $1 }
        }
        var pairs = 0
        for (type, ids) in DCASE2020T2Synth.devIDs {
            for id in ids {
                pairs += 1
                let k = try XCTUnwrap(DCASE2020T2Recipe.classes.firstIndex(of: "\(type)/id_\(id)"))
                let f = DCASE2020T2Synth.faultFrequency(classIndex: k, classCount: DCASE2020T2Recipe.classes.count)
                let normal = try share("dev_data/\(type)/test/normal_id_\(id)_00000000.wav", at: f)
                let anomaly = try share("dev_data/\(type)/test/anomaly_id_\(id)_00000000.wav", at: f)
                XCTAssertGreaterThan(anomaly, 10 * normal, "\(type)/id_\(id)")
            }
        }
        XCTAssertEqual(pairs, 23)
    }

    func testQuirksAreReportedWithFileAndLine() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        for name in ["dev_data/fan/train/normal_id_00_00000000.wav", "dev_data/fan/train/anomaly_id_00_00000001.wav",
                     "dev_data/fan/train/normal_id_0_00000002.wav", "dev_data/fan/test/id_00_00000003.wav",
                     "dev_data/fan/test/notes.txt", "dev_data/Blender/train/normal_id_00_00000000.wav",
                     "eval_data/pump/test/id_01_00000000.wav", "eval_data/pump/test/id_01_00000001.wav",
                     "eval_data/pump/test/id_01_00000002.wav", "eval_data/pump/test/id_01_00000004.wav",
                     "eval_data/slider/test/id_01_00000000.wav", "eval_data/slider/test/id_01_00000001.wav"] {
            try dir.write("", to: "\(corpus)/\(name)")
        }
        try dir.write("""
            id_01_00000000.wav,normal_id_01_00000000.wav,0
            pump
            id_01_00000000.wav,normal_id_01_00000000.wav,0
            id_01_00000001.wav,anomaly_id_01_00000001.wav,1
            id_01_00000002.wav,anomaly_id_01_00000002.wav,2
            id_01_00000001.wav,anomaly_id_01_00000001.wav,1
            id_01_00000009.wav,normal_id_01_00000009.wav,0
            id_01_00000003.wav,0
            Fan
            id_00_00000000.wav,normal_id_00_00000000.wav,0
            valve
            id_01_00000000.wav,normal_id_01_00000000.wav,1

            """, to: "\(corpus)/eval_data_list.csv")
        let catalog = try DCASE2020T2Recipe().catalog(root: dir.url)
        let base = dir.url.standardizedFileURL.path + "/\(corpus)"
        XCTAssertEqual(catalog.recordings.map { "\($0.id) \($0.label ?? "-") \($0.attributes?["condition"] ?? "-")" }, [
            "dcase2020t2/dev_data/fan/train/normal_id_00_00000000 fan/id_00 normal",
            "dcase2020t2/eval_data/pump/test/id_01_00000000 pump/id_01 normal",
            "dcase2020t2/eval_data/pump/test/id_01_00000001 pump/id_01 anomaly",
            "dcase2020t2/eval_data/pump/test/id_01_00000002 pump/id_01 unknown",
            "dcase2020t2/eval_data/pump/test/id_01_00000004 pump/id_01 unknown",
            "dcase2020t2/eval_data/slider/test/id_01_00000000 slider/id_01 unknown",
            "dcase2020t2/eval_data/slider/test/id_01_00000001 slider/id_01 unknown",
        ])
        XCTAssertEqual(catalog.classes, ["fan/id_00", "pump/id_01", "slider/id_01"])
        XCTAssertEqual(catalog.issues.map { $0.message }, [
            "eval_data_list.csv line 1: a file line before any machine-type section header",
            "eval_data_list.csv line 5: label '2' is not 0 (normal) or 1 (anomaly)",
            "eval_data_list.csv line 6: pump/id_01_00000001.wav is listed twice (first at line 4)",
            "eval_data_list.csv line 8: expected 1 field (a machine type) or 3 comma-separated fields (file, renamed file, 0|1), found 2",
            "eval_data_list.csv line 9: section header 'Fan' is not one of the six machine types; its lines are skipped",
            "Blender: 'Blender' is not one of the six machine types (ToyCar, ToyConveyor, fan, pump, slider, valve); skipped",
            "anomaly_id_00_00000001.wav: is an anomaly in a train folder, which holds normal sounds only; skipped",
            "normal_id_0_00000002.wav: cannot parse the name: expected normal_|anomaly_id_<2 digits>_<8 digits>.wav; skipped",
            "id_00_00000003.wav: has no normal_ or anomaly_ prefix outside eval_data/<type>/test; skipped",
            "notes.txt: is not a .wav file; skipped",
            "eval_data_list.csv line 7: eval_data/pump/test/id_01_00000009.wav is listed but missing",
            "eval_data_list.csv: 1 files of eval_data/pump/test are not listed, first id_01_00000004.wav; kept with condition unknown",
            "eval_data_list.csv: 2 files of eval_data/slider/test are not listed (it has no 'slider' section), first id_01_00000000.wav; kept with condition unknown",
            "eval_data_list.csv: eval_data/valve/test is missing; its 1 labelled files skipped",
        ])
        XCTAssertEqual(catalog.issues.first { $0.path.hasSuffix("notes.txt") }?.path, "\(base)/dev_data/fan/test/notes.txt")
    }

    func testFileNameGrammar() {
        XCTAssertEqual(DCASE2020T2FileName("normal_id_01_00000000.wav")?.condition, .normal)
        XCTAssertEqual(DCASE2020T2FileName("anomaly_id_04_00000263.wav")?.index, 263)
        XCTAssertEqual(DCASE2020T2FileName("id_05_00000514.wav")?.machineID, "05")
        XCTAssertNil(DCASE2020T2FileName("id_05_00000514.wav")?.condition)
        XCTAssertNil(DCASE2020T2FileName("normal_id_01_copy.wav"))
        XCTAssertNil(DCASE2020T2FileName("broken_id_01_00000000.wav"))
        XCTAssertNil(DCASE2020T2FileName("normal_id_01_00000000.flac"))
    }

    func testUnusableRootThrowsNamingWhatItLookedFor() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        XCTAssertThrowsError(try DCASE2020T2Recipe().catalog(root: dir.url)) { error in
            XCTAssertTrue("\(error)".contains("dev_data/, eval_data/, eval_data_list.csv"), "\(error)")
        }
    }
}
