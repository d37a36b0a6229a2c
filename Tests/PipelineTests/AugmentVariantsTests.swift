import Augment
import AudioIO
import Corpora
import Features
import Foundation
@testable import Pipeline
import Randomness
import Store
import TestSupport
import XCTest

/// Offline variants end to end: the `augment:` section of ds-flexinet (ADIR, device A, train only)
/// and ffmamba-seld (crop + channel swap) through `Ingest.run`, the bank as an input, draws as columns.
final class AugmentVariantsTests: XCTestCase {
    var root: URL!
    var data: URL { root.appendingPathComponent("data") }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("augment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func load(_ name: String) throws -> PipelineConfig {
        try PipelineConfig.load(Repository.url("pipelines/\(name).yaml"))
    }

    /// A MicIRP-like bank: two 32-kHz responses, one at 44.1 kHz (resampled), one silent, one stereo (both rejected).
    func makeBank() throws -> URL {
        let bank = data.appendingPathComponent("MicIRP")
        try FileManager.default.createDirectory(at: bank.appendingPathComponent("sub"), withIntermediateDirectories: true)
        func response(_ n: Int, _ seed: UInt64) -> [Float] {
            var rng = SplitMix64(seed: seed)
            return (0..<n).map { i in (i == 2 ? 1 : 0) + Float(0.3 * rng.nextSigned() * exp(-Double(i) / 60)) }
        }
        try AudioFileWriter.write(AudioBuffer(sampleRate: 32000, channels: [response(900, 1)]), to: bank.appendingPathComponent("b.wav"), format: .float32)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 32000, channels: [response(700, 2)]), to: bank.appendingPathComponent("a.wav"), format: .float32)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44100, channels: [response(1000, 3)]), to: bank.appendingPathComponent("sub/c.wav"), format: .pcm24)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 32000, channels: [[Float](repeating: 0, count: 500)]), to: bank.appendingPathComponent("silent.wav"), format: .pcm16)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 32000, channels: [response(300, 4), response(300, 5)]), to: bank.appendingPathComponent("stereo.wav"), format: .pcm16)
        return bank
    }

    func dsFlexiNet() throws -> PipelineConfig {
        _ = try TAU2020Synth().generate(root: data, perClass: 2, seed: 3, durationSeconds: 1)
        var config = try load("ds-flexinet")
        config.inputs.corpora = ["tau2020"]
        config.output.shardRows = 16
        // Threshold 0: every device-A train clip passes the gate, p_A 0.6 decides (some applied, some not).
        guard case .adir(var p) = config.augment?.steps.first else { throw XCTSkip("ds-flexinet has no adir step") }
        p.threshold = 0
        config.augment?.steps = [.adir(p)]
        return config
    }

    func ingest(_ config: PipelineConfig, _ out: String, threads: Int = 2) throws -> Ingest.Result {
        try Ingest.run(Ingest.Request(config: config, dataRoot: data, output: root.appendingPathComponent(out), threads: threads, progress: .silent))
    }

    func testADIRVariantsOfDeviceATrainClips() throws {
        let bankFolder = try makeBank()
        let config = try dsFlexiNet()
        let result = try ingest(config, "store")
        // The silent and the stereo responses are rejected and listed, naming the file.
        let bankRejections = result.rejected.filter { $0.stage == "impulse-response bank" }
        XCTAssertEqual(bankRejections.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted(), ["silent.wav", "stereo.wav"])
        XCTAssertTrue(bankRejections.contains { $0.reason.contains("2 channels") })
        XCTAssertTrue(bankRejections.contains { $0.reason.contains("silent") })

        let reader = try StoreReader(manifest: result.manifestURL)
        let ids = try reader.readStrings("meta/id")
        let variants = try reader.readInt32("meta/variant").map(Int.init)
        let devices = try reader.readStrings("meta/device")
        let splits = try reader.readStrings("meta/split")
        let seeds = try reader.readUInt64("meta/seed")
        let applied = try reader.readInt64("aug/adir/applied")
        let index = try reader.readInt64("aug/adir/index")
        let energy = try reader.readColumn("aug/adir/energy").map { if case .float32(let v) = $0 { return v[0] } else { return 0 } }
        let augmented = variants.indices.filter { variants[$0] == 1 }
        XCTAssertFalse(augmented.isEmpty)
        // Variants only for device-A train rows, each beside its original (keep_original), with its own seed.
        for i in augmented {
            XCTAssertEqual(devices[i], "a")
            XCTAssertEqual(splits[i], "train")
            XCTAssertEqual(seeds[i], ClipSeed.seed(runSeed: config.output.seed, id: ids[i], variant: 1))
            XCTAssertTrue(ids.indices.contains { ids[$0] == ids[i] && variants[$0] == 0 })
        }
        let selected = Set(ids.indices.filter { devices[$0] == "a" && splits[$0] == "train" }.map { ids[$0] })
        XCTAssertEqual(augmented.count, selected.count)
        XCTAssertTrue(variants.allSatisfy { $0 == 0 || $0 == 1 })
        for i in variants.indices where variants[i] == 0 {
            XCTAssertEqual(applied[i], -1)
            XCTAssertTrue(energy[i].isNaN)
        }
        XCTAssertTrue(augmented.contains { applied[$0] == 1 } && augmented.contains { applied[$0] == 0 },
                      "p_A 0.6 over \(augmented.count) rows should both apply and skip: \(augmented.map { applied[$0] })")

        // The bank in the manifest: kept files in sorted-path order with their SHA-256.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: result.manifestURL)) as! [String: Any]
        let parameters = manifest["parameters"] as! [String: Any]
        let bank = parameters["augment_bank"] as! [[String: Any]]
        XCTAssertEqual(bank.map { $0["path"] as! String }, ["a.wav", "b.wav", "sub/c.wav"])
        XCTAssertEqual(bank[0]["sha256"] as? String, try FileDigest.of(bankFolder.appendingPathComponent("a.wav")).sha256)
        XCTAssertEqual(bank[2]["sample_rate"] as? Int, 44100)
        // The report with the observed mean energy, checksummed into the manifest.
        let files = (manifest["files"] as! [[String: Any]]).map { $0["file"] as! String }
        XCTAssertTrue(files.contains("reports/augment.json"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("store/reports/augment.json"))) as! [String: Any]
        let step = (report["steps"] as! [[String: Any]])[0]
        let mean = augmented.map { Double(energy[$0]) }.reduce(0, +) / Double(augmented.count)
        XCTAssertEqual(step["observed_mean_energy"] as! Double, mean, accuracy: 1e-3 * mean)
        XCTAssertEqual(step["energy"] as? String, "sum_of_squares")
        XCTAssertEqual(step["applied"] as? Int, augmented.filter { applied[$0] == 1 }.count)

        // A variant's features are those of its augmented waveform: recompute one applied and one skipped row.
        let input = try ImpulseResponseInput.load(folder: bankFolder, sampleRate: 32000, resampler: config.audio.resampler)
        let loader = try ClipLoader(policy: config.audio)
        let extractor = try config.features[0].makeExtractor()
        let worker = extractor.makeWorker()
        let recordings = Dictionary(uniqueKeysWithValues: try TAU2020Recipe().catalog(root: data.appendingPathComponent(TAU2020Recipe.folderName)).recordings.map { ($0.id, $0) })
        for i in [augmented.first { applied[$0] == 1 }!, augmented.first { applied[$0] == 0 }!] {
            var scratch: [Float] = []
            var timing = ClipLoader.Timing()
            let clip = try loader.decode(try XCTUnwrap(recordings[ids[i]]).path, scratch: &scratch, timing: &timing)
            var channels = try loader.prepare(clip.buffer, rate: 32000, timing: &timing).channels
            XCTAssertEqual(Double(energy[i]), Double(AdaptiveDeviceImpulseResponse.Energy.sumOfSquares.of(channels)), accuracy: 1e-4 * Double(energy[i]))
            if applied[i] == 1 { input.bank.convolve(&channels, with: Int(index[i])) }
            let expected = try worker.extract(channels).values
            XCTAssertEqual(try reader.readRow(i).floats("features/mel256"), expected, "row \(i) applied \(applied[i])")
            // The same row online: waveform -> augment -> features in one call, from the row's seed.
            let prepared = try loader.prepare(clip.buffer, rate: 32000, timing: &timing).channels
            let online = try AugmentedFeatures(config: config, bank: input.bank).compute(prepared, device: "a", seed: seeds[i])
            XCTAssertEqual(online.features["mel256"]?.values, expected)
            XCTAssertEqual(online.draws.first?.columns.first?.1, .int(applied[i]))
        }
    }

    /// The augmented store round-trips through h5py (Debian's python3) and the acousticpipe reader:
    /// the draw columns and variants read there are the ones Swift wrote.
    func testAugmentedStoreReadsInH5py() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no /usr/bin/python3") }
        _ = try makeBank()
        let result = try ingest(try dsFlexiNet(), "store")
        let reader = try StoreReader(manifest: result.manifestURL)
        let script = """
        import json, sys
        sys.path.insert(0, sys.argv[2])
        import acousticpipe
        t = acousticpipe.open(sys.argv[1])
        print(json.dumps({k: [None if v != v else float(v) for v in t.column(k)] for k in
              ["meta/variant", "aug/adir/applied", "aug/adir/index", "aug/adir/energy"]}))
        """
        let ran = try ProcessRunner.run(URL(fileURLWithPath: python),
                                        ["-c", script, root.appendingPathComponent("store").path, Repository.url("Sources/python").path])
        if ran.err.contains("No module named 'h5py'") { throw XCTSkip("python3-h5py not installed") }
        XCTAssertEqual(ran.status, 0, ran.err)
        let data = Data(ran.out.utf8)
        // NaN (a row that was not augmented) arrives as null.
        let columns = (try JSONSerialization.jsonObject(with: data) as! [String: [Any]]).mapValues { $0.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        XCTAssertEqual(columns["meta/variant"], try reader.readInt32("meta/variant").map(Double.init))
        XCTAssertEqual(columns["aug/adir/applied"], try reader.readInt64("aug/adir/applied").map(Double.init))
        XCTAssertEqual(columns["aug/adir/index"], try reader.readInt64("aug/adir/index").map(Double.init))
        let energy = try reader.readColumn("aug/adir/energy").map { value -> Double in
            if case .float32(let v) = value { return Double(v[0]) } else { return -1 }
        }
        XCTAssertEqual(columns["aug/adir/energy"]?.map { $0.isNaN ? -1 : $0 }, energy.map { $0.isNaN ? -1 : $0 })
        XCTAssertTrue(energy.contains { $0.isNaN } && energy.contains { $0.isFinite })
    }

    /// Same config and seed: byte-identical stores (shards, report, manifest) with 1 and 2 threads.
    func testVariantsAreByteIdenticalAcrossThreadCounts() throws {
        _ = try makeBank()
        let config = try dsFlexiNet()
        _ = try ingest(config, "one", threads: 1)
        _ = try ingest(config, "two", threads: 2)
        let one = try PipelineFixture.files(under: root.appendingPathComponent("one"))
        XCTAssertTrue(one.keys.contains("reports/augment.json"))
        XCTAssertEqual(one, try PipelineFixture.files(under: root.appendingPathComponent("two")))
    }

    /// ffmamba-seld: crop (first, from the whole recording) + channel swap, 2 variants per train recording.
    func testFFMambaCropAndSwapVariants() throws {
        let folder = root.appendingPathComponent("foa/x")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 1)
        let n = 3 * 24000
        let s = (0..<n).map { _ in Float(0.2 * rng.nextSigned()) }
        let g: [Float] = [1, 0.5, 0.2, 0.8]
        try AudioFileWriter.write(AudioBuffer(sampleRate: 24000, channels: g.map { k in s.map { $0 * k } }), to: folder.appendingPathComponent("rec.wav"), format: .float32)
        // Too short for its original row (0.3 s < 0.5 x 1 s), so too short for its variants too.
        let short = folder.appendingPathComponent("short.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 24000, channels: g.map { k in s[0..<7200].map { $0 * k } }), to: short, format: .float32)
        var config = try load("ffmamba-seld")
        config.inputs.corpora = ["folder"]   // the shipped file reads starss22 in 10-s segments
        config.audio.segmentHop = nil
        config.audio.duration = 1.0
        config.output.waveform = .float32
        let result = try Ingest.run(Ingest.Request(config: config, paths: ["folder": root.appendingPathComponent("foa")],
                                                   output: root.appendingPathComponent("seld"), threads: 2, progress: .silent))
        // Listed once, not once per planned row: the original and its 2 variants share the recording.
        XCTAssertEqual(result.rejected.map(\.path), [short.path], "\(result.rejected)")
        XCTAssertEqual(result.rejected.first?.rows, 3)
        let stored = try StoreReader(manifest: result.manifestURL).manifest
        XCTAssertEqual(stored.rejected, result.rejected)
        XCTAssertEqual(stored.clipLengths?.rejectedShort, 1, "one file rejected as too short")
        try StoreReports.write(for: result.manifestURL)
        let csv = try String(contentsOf: result.manifestURL.deletingLastPathComponent().appendingPathComponent("reports/rejected.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 2, csv)
        XCTAssertTrue(csv.hasPrefix("path,line,stage,reason,rows\n"), csv)
        XCTAssertTrue(csv.trimmingCharacters(in: .newlines).hasSuffix(",3"), csv)
        let reader = try StoreReader(manifest: result.manifestURL)
        XCTAssertEqual(reader.rowCount, 3)
        let variants = try reader.readInt32("meta/variant").map(Int.init)
        let offsets = try reader.readInt64("aug/crop/offset")
        let transforms = try reader.readInt64("aug/channel_swap/transform")
        XCTAssertEqual(variants.sorted(), [0, 1, 2])
        for i in 0..<3 where variants[i] > 0 {
            XCTAssertEqual(offsets[i] % 2400, 0)
            XCTAssertTrue((0...48000).contains(offsets[i]))
            XCTAssertTrue((0..<16).contains(transforms[i]))
            // The row is the FOA features of the cropped, transformed segment.
            var channels = g.map { k in Array(s[Int(offsets[i])..<(Int(offsets[i]) + 24000)].map { $0 * k }) }
            // The file was written as float32 and read back exactly; only the transform remains.
            FOATransform(Int(transforms[i])).apply(foa: &channels)
            let expected = try config.features[0].makeExtractor().makeWorker().extract(channels).values
            XCTAssertEqual(try reader.readRow(i).floats("audio/waveform"), channels.flatMap { $0 }, "the stored waveform is the augmented one")
            let stored = try XCTUnwrap(try reader.readRow(i).floats("features/foa7"))
            let worst = zip(stored, expected).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-3, "row \(i): crop offset \(offsets[i]), transform \(transforms[i])")
        }
        // The manifest records the crop length used (audio.duration).
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: result.manifestURL)) as! [String: Any]
        let augment = (manifest["parameters"] as! [String: Any])["augment"] as! [String: Any]
        let crop = (augment["steps"] as! [[String: Any]])[0]["crop"] as! [String: Any]
        XCTAssertEqual(crop["length"] as? Double, 1.0)
        XCTAssertEqual(crop["alignment"] as? Int, 2400)
    }

    /// The stored SELD targets follow a variant's audio: cut at the crop's offset and mapped by the
    /// channel swap's transform (doa and adpit), so the FOA intensity of the stored, swapped waveform
    /// still points where the stored target says.
    func testSwappedVariantTargetsFollowTheAudio() throws {
        _ = try STARSS22Synth().generate(root: data, perClass: 1, seed: 0, durationSeconds: 3)
        var config = try load("ffmamba-seld")
        config.audio.duration = 2.0
        config.audio.segmentHop = nil
        config.inputs.adpit = true
        config.output.waveform = .float32
        config.augment?.variants = 4
        var augment = try XCTUnwrap(config.augment)
        augment.steps = augment.steps.map { step in
            guard case .channelSwap(var p) = step else { return step }
            p.p = 1
            return .channelSwap(p)
        }
        config.augment = augment
        let result = try ingest(config, "seld-targets", threads: 2)
        XCTAssertEqual(result.rejected.map(\.path), [])
        let reader = try StoreReader(manifest: result.manifestURL)
        let ids = try reader.readStrings("meta/id")
        let variants = try reader.readInt32("meta/variant").map(Int.init)
        let offsets = try reader.readInt64("aug/crop/offset")
        let transforms = try reader.readInt64("aug/channel_swap/transform")
        let classes = STARSS22Recipe.classes.count, frames = 20, hop = 2400
        var swapped = 0, shifted = 0, checkedFrames = 0
        for i in 0..<reader.rowCount where variants[i] > 0 {
            let original = try XCTUnwrap(zip(ids.indices, ids).first { variants[$0.0] == 0 && $0.1 == ids[i] }?.0)
            let row = try reader.readRow(i), base = try reader.readRow(original)
            let doa = try XCTUnwrap(row.floats("targets/doa")), baseDOA = try XCTUnwrap(base.floats("targets/doa"))
            let activity = try XCTUnwrap(row.floats("targets/activity")), baseActivity = try XCTUnwrap(base.floats("targets/activity"))
            let adpit = try XCTUnwrap(row.floats("targets/adpit"))
            let wave = try XCTUnwrap(row.floats("audio/waveform"))
            XCTAssertEqual(offsets[i] % Int64(hop), 0)
            let k = Int(offsets[i]) / hop
            let transform = FOATransform(Int(transforms[i]))
            if transform.number != 0 { swapped += 1 }
            if k > 0 { shifted += 1 }
            for t in 0..<frames {
                // Frames the original row also holds: the same activity, the transformed vectors.
                if t + k < frames {
                    for c in 0..<classes { XCTAssertEqual(activity[t * classes + c], baseActivity[(t + k) * classes + c]) }
                    for j in 0..<(3 * classes) {
                        let a = (t * 3 * classes + j) * 3, b = ((t + k) * 3 * classes + j) * 3
                        let r = transform.apply(x: Double(baseDOA[b]), y: Double(baseDOA[b + 1]), z: Double(baseDOA[b + 2]))
                        XCTAssertEqual([doa[a], doa[a + 1], doa[a + 2]], [Float(r.x), Float(r.y), Float(r.z)],
                                       "row \(i) frame \(t): transform \(transform.number), crop \(k) frames")
                    }
                }
                // A frame with one event: adpit track 0 holds the same vector, and the intensity
                // (W times X, Y, Z over the frame) of the stored waveform points to it.
                let active = (0..<classes).filter { activity[t * classes + $0] > 0 }
                guard active.count == 1, let c = active.first else { continue }
                let a = (t * 3 * classes + c) * 3
                let v = (doa[a], doa[a + 1], doa[a + 2])
                for (row, value) in [v.0, v.1, v.2].enumerated() {
                    XCTAssertEqual(adpit[((t * 6 + 0) * 4 + row + 1) * classes + c], value)
                }
                let n = wave.count / 4
                var ix = 0.0, iy = 0.0, iz = 0.0
                for s in (t * hop)..<((t + 1) * hop) {
                    let w = Double(wave[s])
                    iy += w * Double(wave[n + s]); iz += w * Double(wave[2 * n + s]); ix += w * Double(wave[3 * n + s])
                }
                let norm = (ix * ix + iy * iy + iz * iz).squareRoot()
                let cosine = (ix * Double(v.0) + iy * Double(v.1) + iz * Double(v.2)) / norm
                let degrees = acos(min(1, cosine)) * 180 / .pi
                XCTAssertLessThan(degrees, 3, "row \(i) frame \(t): intensity \(degrees)° off the stored target (transform \(transform.number))")
                checkedFrames += 1
            }
        }
        XCTAssertGreaterThan(swapped, 0, "some variant must be swapped")
        XCTAssertGreaterThan(shifted, 0, "some variant must be cropped off frame 0")
        XCTAssertGreaterThan(checkedFrames, 20)
    }

    /// `pipe merge` finalizes from the folder alone: the augment report is rebuilt from the plan's
    /// parameters and the shards' draw columns, equal to the one a single-process run writes.
    func testMergeFromTheFolderWritesTheAugmentReport() throws {
        _ = try makeBank()
        var config = try dsFlexiNet()
        config.output.shardRows = 4   // several shards, so the report gathers across them
        let whole = try ingest(config, "whole")
        let partial = try Ingest.run(Ingest.Request(config: config, dataRoot: data, output: root.appendingPathComponent("parts"),
                                                    threads: 2, progress: .silent, finalize: false))
        XCTAssertFalse(partial.finalized)
        let parts = root.appendingPathComponent("parts")
        XCTAssertFalse(FileManager.default.fileExists(atPath: parts.appendingPathComponent("reports/augment.json").path))
        // A missing shard: named, and no report is written for the incomplete store.
        let folder = try StoreFolder(at: parts)
        let plan = folder.plan
        let first = folder.layout.shardURL(plan.shards[0].name)
        let saved = root.appendingPathComponent("saved.h5")
        try FileManager.default.moveItem(at: first, to: saved)
        XCTAssertThrowsError(try AugmentReport.finalizeStore(at: parts)) { error in
            XCTAssertTrue(String(describing: error).contains(plan.shards[0].name), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: parts.appendingPathComponent("reports/augment.json").path))
        try FileManager.default.moveItem(at: saved, to: first)

        let manifest = try AugmentReport.finalizeStore(at: parts)
        let merged = try Data(contentsOf: parts.appendingPathComponent("reports/augment.json"))
        let single = try Data(contentsOf: whole.manifestURL.deletingLastPathComponent().appendingPathComponent("reports/augment.json"))
        XCTAssertEqual(merged, single)
        XCTAssertTrue(String(decoding: merged, as: UTF8.self).contains("observed_mean_energy"))
        XCTAssertTrue((manifest.files ?? []).contains { $0.file == "reports/augment.json" }, "the manifest checksums the report")
    }

    func testConfigurationErrorsBeforeAnyWork() throws {
        // A channel swap in a mono pipeline.
        var config = try load("ds-flexinet")
        config.augment = try AugmentConfig(steps: [.channelSwap(.init())], variants: 1)
        XCTAssertThrowsError(try ingest(config, "x")) { XCTAssertTrue(String(describing: $0).contains("channel_swap needs an FOA pipeline")) }
        // No bank.
        config = try dsFlexiNet()
        XCTAssertThrowsError(try ingest(config, "y")) { XCTAssertTrue(String(describing: $0).contains("MicIRP"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("y/plan.json").path))
        // An empty bank.
        try FileManager.default.createDirectory(at: data.appendingPathComponent("MicIRP"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try ingest(config, "z")) { XCTAssertTrue(String(describing: $0).contains("holds no usable"), "\($0)") }
        // K = 0 and unknown keys in YAML.
        let yaml = try String(contentsOf: Repository.url("pipelines/ds-flexinet.yaml"), encoding: .utf8)
        for (bad, why) in [("variants: 1", "variants: 0"), ("p_a: 0.6", "pa: 0.6")] {
            let url = root.appendingPathComponent("bad.yaml")
            try yaml.replacingOccurrences(of: bad, with: why).write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try PipelineConfig.load(url)) { XCTAssertTrue(String(describing: $0).contains("bad.yaml"), "\($0)") }
        }
    }
}

/// `RejectedInput.merged`: one entry per (path, line, stage, reason), rows summed, order kept.
final class RejectedInputMergeTests: XCTestCase {
    func testMergeKeepsDistinctReasonsAndSumsRows() {
        let a = RejectedInput(path: "a.wav", reason: "too short", stage: "duration")
        let b = RejectedInput(path: "b.wav", reason: "2 channels, expected 4", stage: "audio")
        let aOther = RejectedInput(path: "a.wav", reason: "NaN", stage: "features")
        let aLine = RejectedInput(path: "a.csv", line: 3, reason: "bad", stage: "catalog")
        let merged = RejectedInput.merged([a, b, a, aOther, a, aLine, RejectedInput(path: "a.wav", reason: "too short", stage: "duration", rows: 2)])
        XCTAssertEqual(merged.map(\.path), ["a.wav", "b.wav", "a.wav", "a.csv"])
        XCTAssertEqual(merged.map(\.rowCount), [5, 1, 1, 1])
        XCTAssertEqual(merged.map(\.rows), [5, nil, nil, nil], "a single row keeps the manifest as it was")
        XCTAssertEqual(merged.reduce(0) { $0 + $1.rowCount }, 8, "every planned row is still counted")
    }
}
