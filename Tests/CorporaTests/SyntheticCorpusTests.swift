import AudioIO
import Randomness
import TestSupport
import XCTest
@testable import Corpora

/// The synthetic corpora: determinism, the layout the recipes read back, and class-dependent audio.
final class SyntheticCorpusTests: XCTestCase {
    /// Relative path → bytes of every file under `folder`.
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return result }
        for case let relative as String in walker {
            var isDir: ObjCBool = false
            let path = base + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return result
    }

    /// Bits per sample from a WAV's `fmt ` chunk.
    private func bitsPerSample(_ url: URL) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: url))
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            if id == "fmt " { return Int(bytes[offset + 22]) | Int(bytes[offset + 23]) << 8 }
            offset += 8 + size + size % 2
        }
        throw TestSupportError("no fmt chunk in \(url.path)")
    }

    /// Power-weighted mean frequency of a Hann-windowed DFT of the first 2048 samples, in Hz.
    private func spectralCentroid(_ samples: [Float], sampleRate: Int) -> Double {
        let n = min(samples.count, 2048)
        let windowed = (0..<n).map { Double(samples[$0]) * (0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
        var cosTable = [Double](repeating: 0, count: n), sinTable = [Double](repeating: 0, count: n)
        for i in 0..<n {
            cosTable[i] = cos(2 * Double.pi * Double(i) / Double(n))
            sinTable[i] = sin(2 * Double.pi * Double(i) / Double(n))
        }
        var weighted = 0.0, total = 0.0
        for k in 1..<(n / 2) {
            var re = 0.0, im = 0.0, index = 0
            for t in 0..<n {
                re += windowed[t] * cosTable[index]
                im -= windowed[t] * sinTable[index]
                index += k
                if index >= n { index -= n }
            }
            let power = re * re + im * im
            weighted += power * Double(k) * Double(sampleRate) / Double(n)
            total += power
        }
        return total > 0 ? weighted / total : 0
    }

    func testSplitMix64MatchesTheReferenceSequence() {
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
        var a = SplitMix64(seed: 7, key: "tau2020/audio/x.wav"), b = SplitMix64(seed: 7, key: "tau2020/audio/x.wav")
        var c = SplitMix64(seed: 7, key: "tau2020/audio/y.wav")
        let first = a.next()
        XCTAssertEqual(first, b.next())
        XCTAssertNotEqual(first, c.next())
        for _ in 0..<1000 {
            let u = a.nextUnit()
            XCTAssertTrue(u >= 0 && u < 1)
            XCTAssertTrue((0..<3).contains(a.nextInt(below: 3)))
        }
    }

    func testSameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws {
        let dir = try TemporaryFolder("synth-determinism")
        defer { dir.remove() }
        var snapshots: [[String: Data]] = []
        for (name, seed) in [("one", UInt64(42)), ("two", 42), ("three", 43)] {
            let data = dir.url.appendingPathComponent(name)
            _ = try TAU2020Synth().generate(root: data, perClass: 1, seed: seed, durationSeconds: 0.05)
            _ = try CochlSceneSynth().generate(root: data, perClass: 1, seed: seed, durationSeconds: 0.05)
            _ = try CAS2023Synth().generate(root: data, perClass: 1, seed: seed, durationSeconds: 0.05)
            snapshots.append(try snapshot(data))
        }
        XCTAssertEqual(snapshots[0].count, 30 + 39 + 30 + 4 + 4)
        XCTAssertEqual(snapshots[0], snapshots[1])
        let wavs = snapshots[0].keys.filter { $0.hasSuffix(".wav") }
        // CAS names are drawn from the seed; TAU and CochlScene names are fixed, their audio is not.
        let sharedWAVs = wavs.filter { snapshots[2][$0] != nil }
        XCTAssertEqual(sharedWAVs.count, 30 + 39)
        XCTAssertTrue(sharedWAVs.allSatisfy { snapshots[0][$0] != snapshots[2][$0] })
    }

    func testTAUSynthIsReadBackByTheRecipe() throws {
        let dir = try TemporaryFolder("synth-tau")
        defer { dir.remove() }
        let summary = try TAU2020Synth().generate(root: dir.url, perClass: 2, seed: 1, durationSeconds: 0.1)
        XCTAssertEqual(summary.filesWritten, 50)
        XCTAssertEqual(summary.perSplit, ["train": 20, "evaluate": 20, "unused": 10])
        XCTAssertEqual(summary.perClass, Dictionary(uniqueKeysWithValues: TAU2020Recipe.classes.map { ($0, 5) }))
        XCTAssertEqual(summary.metadataFiles, ["meta.csv", "evaluation_setup/fold1_train.csv",
                                               "evaluation_setup/fold1_evaluate.csv", "evaluation_setup/fold1_test.csv"])

        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues, [])
        XCTAssertEqual(catalog.recordings.count, 50)
        let splits = Dictionary(grouping: catalog.recordings, by: { $0.split }).mapValues { $0.count }
        XCTAssertEqual(splits, ["train": 20, "evaluate": 20, "unused": 10])
        let train = catalog.recordings.filter { $0.split == "train" }, evaluate = catalog.recordings.filter { $0.split == "evaluate" }
        XCTAssertTrue(Set(train.compactMap { $0.location }).isDisjoint(with: evaluate.compactMap { $0.location }))
        XCTAssertGreaterThanOrEqual(Set(catalog.recordings.compactMap { $0.device }).count, 6)
        XCTAssertGreaterThanOrEqual(Set(catalog.recordings.compactMap { $0.city }).count, 5)
        XCTAssertTrue(catalog.recordings.filter { $0.split == "unused" }.allSatisfy { ["s4", "s5", "s6"].contains($0.device ?? "") })

        let folder = URL(fileURLWithPath: summary.corpusFolder)
        let test = try String(contentsOf: folder.appendingPathComponent("evaluation_setup/fold1_test.csv"), encoding: .utf8)
        let lines = test.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "filename")
        XCTAssertEqual(Set(lines.dropFirst()), Set(evaluate.map { "audio/\($0.id.dropFirst("tau2020/".count)).wav" }))
        let meta = try String(contentsOf: folder.appendingPathComponent("meta.csv"), encoding: .utf8)
        XCTAssertTrue(meta.hasPrefix("filename\tscene_label\tidentifier\tsource_label\n"))

        let url = URL(fileURLWithPath: try XCTUnwrap(catalog.recordings.first).path)
        let info = try AudioDecoder.info(url)
        XCTAssertEqual([info.sampleRate, info.channelCount, info.frameCount], [44_100, 1, 4_410])
        XCTAssertEqual(try bitsPerSample(url), 24)
    }

    func testCochlSceneSynthIsReadBackByTheRecipe() throws {
        let dir = try TemporaryFolder("synth-cochl")
        defer { dir.remove() }
        // Generating into a folder named CochlScene yields the zip's extra level, CochlScene/CochlScene/.
        let summary = try CochlSceneSynth().generate(root: dir.url.appendingPathComponent("CochlScene"), perClass: 2,
                                                     seed: 3, durationSeconds: 0.05)
        XCTAssertEqual(summary.filesWritten, 78)
        XCTAssertEqual(summary.perSplit, ["Train": 26, "Val": 26, "Test": 26])
        let catalog = try CochlSceneRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues, [])
        XCTAssertEqual(catalog.recordings.count, 78)
        XCTAssertTrue(catalog.recordings.allSatisfy { $0.location != nil && $0.label != nil })
        XCTAssertTrue(catalog.recordings[0].path.contains("/CochlScene/CochlScene/"))
        let users = Dictionary(grouping: catalog.recordings, by: { $0.split }).mapValues { Set($0.compactMap { $0.location }) }
        XCTAssertEqual(users["Train"]?.count, 13)
        XCTAssertTrue(try XCTUnwrap(users["Train"]).isDisjoint(with: try XCTUnwrap(users["Test"])))
        let url = URL(fileURLWithPath: catalog.recordings[0].path)
        let info = try AudioDecoder.info(url)
        XCTAssertEqual([info.sampleRate, info.channelCount, info.frameCount], [44_100, 1, 2_205])
        XCTAssertEqual(try bitsPerSample(url), 16)
    }

    func testCASSynthIsReadBackFromAPSIPAAndFromICMEAlone() throws {
        let dir = try TemporaryFolder("synth-cas")
        defer { dir.remove() }
        let summary = try CAS2023Synth().generate(root: dir.url, perClass: 2, seed: 9, durationSeconds: 0.05)
        XCTAssertEqual(summary.filesWritten, 60)
        XCTAssertEqual(summary.perSplit, ["dev": 40, "eval": 20])
        XCTAssertEqual(summary.unlabeled, 40)
        let folder = URL(fileURLWithPath: summary.corpusFolder)
        let apsipa = try Data(contentsOf: folder.appendingPathComponent("APSIPA2025_GC_ASC_dev_metadata.csv"))
        XCTAssertEqual(Array(apsipa.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertFalse(apsipa.contains(0x0D))
        let icme = try String(contentsOf: folder.appendingPathComponent("ICME2024_ASC_dev_label.csv"), encoding: .utf8)
        XCTAssertTrue(icme.hasPrefix("filename,scene_label\r\n"))

        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues, [])
        let dev = catalog.recordings.filter { $0.split == "dev" }, eval = catalog.recordings.filter { $0.split == "eval" }
        XCTAssertEqual(dev.count, 40)
        XCTAssertEqual(dev.filter { $0.labeled }.count, 20)
        XCTAssertEqual(eval.count, 20)
        XCTAssertTrue(eval.allSatisfy { !$0.labeled })
        XCTAssertTrue(dev.contains { $0.city == "Xi'an" })
        XCTAssertFalse(Set(eval.compactMap { $0.city }).subtracting(dev.compactMap { $0.city }).isEmpty)
        let earliest = try XCTUnwrap(RecordTime.parse("2023-04-21 12:12:02")), latest = try XCTUnwrap(RecordTime.parse("2023-08-28 10:07:43"))
        XCTAssertTrue(catalog.recordings.allSatisfy { ($0.recordTime ?? 0) >= earliest && ($0.recordTime ?? .max) <= latest })
        XCTAssertTrue(catalog.recordings.allSatisfy { $0.id.range(of: "^cas2023/[0-9a-f]{32}[0-9]{1,2}_[12]$", options: .regularExpression) != nil })

        for name in ["APSIPA2025_GC_ASC_dev_metadata.csv", "APSIPA2025_GC_ASC_eval_metadata.csv"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let icmeOnly = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(icmeOnly.issues, [])
        XCTAssertEqual(icmeOnly.recordings.map { "\($0.id) \($0.label ?? "")" }, catalog.recordings.map { "\($0.id) \($0.label ?? "")" })
        XCTAssertTrue(icmeOnly.recordings.allSatisfy { $0.city == nil && $0.recordTime == nil })
    }

    func testClassesHaveDistinctSpectra() throws {
        // Rendered directly: the centroid rises with the class's centre frequency.
        var centroids: [Double] = []
        for k in [0, 3, 6, 9] {
            var rng = SplitMix64(seed: 5, key: "class-\(k)")
            let signal = SceneSignal(classIndex: k, classCount: 10)
            let samples = signal.render(sampleRate: 44_100, frameCount: 4_410, rng: &rng)
            XCTAssertEqual(samples.count, 4_410)
            let peak = samples.map { abs($0) }.max() ?? 0
            XCTAssertEqual(peak, 0.5, accuracy: 0.051)
            let centroid = spectralCentroid(samples, sampleRate: 44_100)
            // Above the centre (the tone sits at 1.25 × centre, the band's skirts reach up), but near it.
            XCTAssertTrue((0.9...1.6).contains(centroid / signal.centreFrequency), "class \(k): centroid \(centroid)")
            centroids.append(centroid)
        }
        XCTAssertEqual(centroids, centroids.sorted())
        XCTAssertGreaterThan(centroids[3], 8 * centroids[0])

        // End to end: two classes written by the generator and decoded from disk differ the same way.
        let dir = try TemporaryFolder("synth-spectra")
        defer { dir.remove() }
        _ = try CochlSceneSynth().generate(root: dir.url, perClass: 1, seed: 11, durationSeconds: 0.05)
        let catalog = try CochlSceneRecipe().catalog(root: dir.url)
        func centroid(of label: String) throws -> Double {
            let path = try XCTUnwrap(catalog.recordings.first { $0.label == label && $0.split == "Train" }).path
            let buffer = try AudioDecoder.decode(URL(fileURLWithPath: path))
            return spectralCentroid(buffer.channels[0], sampleRate: buffer.sampleRate)
        }
        XCTAssertGreaterThan(try centroid(of: "SubwayStation"), 5 * (try centroid(of: "Bus")))
    }

    func testInvalidRequestsThrow() throws {
        let dir = try TemporaryFolder("synth-invalid")
        defer { dir.remove() }
        XCTAssertThrowsError(try TAU2020Synth().generate(root: dir.url, perClass: 0, seed: 1)) { error in
            XCTAssertEqual("\(error)", "perClass must be in 1...10000, got 0")
        }
        XCTAssertThrowsError(try CAS2023Synth().generate(root: dir.url, perClass: 1, seed: 1, durationSeconds: .nan))
        XCTAssertThrowsError(try CochlSceneSynth().generate(root: dir.url, perClass: 462, seed: 1, durationSeconds: 0.01)) { error in
            XCTAssertEqual("\(error)", "perClass 462 would need more than 2999 users per split (at most 461)")
        }
        try dir.write("x", to: "CochlScene/leftover.txt")
        XCTAssertThrowsError(try CochlSceneSynth().generate(root: dir.url, perClass: 1, seed: 1, durationSeconds: 0.01)) { error in
            XCTAssertEqual("\(error)", "\(dir.url.appendingPathComponent("CochlScene").standardizedFileURL.path) already exists "
                           + "and is not empty; generate into a new folder")
        }
    }
}
