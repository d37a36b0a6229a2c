import AudioIO
import Corpora
import Foundation
import Randomness
import Store
import TestSupport
import XCTest

/// A seeded fuzzer of our own, through the real ingest: byte-flipped and truncated files of every
/// format libsndfile writes here (WAV PCM and float, FLAC, Ogg Vorbis, AIFF), things that are not
/// files, and mutated TAU metadata. Each ingest runs as a child `pipe` process, so a crash is seen
/// as a signal and a hang as a timeout, not as this test process dying. It asserts that every input
/// is either ingested or rejected with a reason, and that the manifest's counts add up.
///
/// The seed is fixed, so a failure reproduces; the crashers found so far are committed under
/// `Tests/FuzzCrashers/` (small files), so each stays a test. Bounded to about a minute on 2 cores.
final class IngestFuzzTests: XCTestCase {
    /// The fuzzer's seed: change it to explore, keep it to reproduce.
    static let seed: UInt64 = 0x5EED_0007
    static let mutantsPerFormat = 300
    static let metadataMutants = 50
    /// A child ingest that has not ended by then is a hang.
    static let timeout: TimeInterval = 90

    var binary: URL { Repository.url(".build/debug/pipe") }
    var crashers: URL { Repository.url("Tests/FuzzCrashers") }
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    // MARK: Audio

    func testMutatedAudioIsIngestedOrRejectedNeverACrashOrHang() throws {
        var rng = SplitMix64(seed: Self.seed)
        let corpus = work.appendingPathComponent("audio-corpus")
        // One good file per format: 1 s of noise at 16 kHz (the clip length, so none is short).
        let formats: [(folder: String, ext: String, format: SampleFormat)] = [
            ("wav16", "wav", .pcm16), ("wavfloat", "wav", .float32), ("flac", "flac", .pcm16),
            ("ogg", "ogg", .pcm16), ("aiff", "aiff", .pcm24),
        ]
        var originals: [String] = []
        var inputs: [String] = []
        for (index, spec) in formats.enumerated() {
            let folder = corpus.appendingPathComponent(spec.folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let original = folder.appendingPathComponent("original.\(spec.ext)")
            let samples = (0..<2).map { c in (0..<16000).map { i in Float(sin(Double(i) * 0.05 * Double(c + index + 1))) * 0.3 } }
            try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: samples), to: original, format: spec.format)
            originals.append(original.path)
            let bytes = [UInt8](try Data(contentsOf: original))
            for m in 0..<Self.mutantsPerFormat {
                let mutant = folder.appendingPathComponent(String(format: "m%02d.", m) + spec.ext)
                try Data(Self.mutate(bytes, rng: &rng)).write(to: mutant)
                inputs.append(mutant.path)
            }
        }
        // The committed crashers, and things that are not files.
        let crasherFolder = corpus.appendingPathComponent("crashers")
        try FileManager.default.createDirectory(at: crasherFolder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: crashers.appendingPathComponent("audio").path).sorted() {
            let target = crasherFolder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: crashers.appendingPathComponent("audio/\(name)"), to: target)
            inputs.append(target.path)
        }
        let notFiles = corpus.appendingPathComponent("notfiles")
        try FileManager.default.createDirectory(at: notFiles.appendingPathComponent("folder.wav"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(notFiles.appendingPathComponent("fifo.wav").path, 0o644), 0)
        try FileManager.default.createSymbolicLink(atPath: notFiles.appendingPathComponent("loop.wav").path, withDestinationPath: "loop.wav")
        try FileManager.default.createSymbolicLink(atPath: notFiles.appendingPathComponent("zero.wav").path, withDestinationPath: "/dev/zero")
        let nonFiles = ["fifo.wav", "folder.wav", "loop.wav", "zero.wav"].map { notFiles.appendingPathComponent($0).path }
        inputs += originals

        let run = try ingest(["folder", "--path", "folder=\(corpus.path)"], name: "audio")
        guard let manifest = try checkedManifest(run) else { return }
        let catalog = try catalogPaths(run.store)

        // Every regular input is in the catalog exactly once; each non-file is a rejection instead.
        XCTAssertEqual(catalog.sorted(), inputs.sorted())
        for path in nonFiles {
            XCTAssertTrue(manifest.rejected.contains { $0.path == path && !$0.reason.isEmpty }, "\(path) not rejected")
        }
        // Rows and audio rejections add up to the catalog; every rejection names an input and a reason.
        let audioRejections = manifest.rejected.filter { catalog.contains($0.path) }
        XCTAssertEqual(Set(audioRejections.map(\.path)).count, audioRejections.count, "an input rejected twice")
        XCTAssertEqual(manifest.rowCount + audioRejections.count, catalog.count)
        XCTAssertTrue(manifest.rejected.allSatisfy { !$0.reason.isEmpty })
        XCTAssertEqual(manifest.counts.map(\.count).reduce(0, +), manifest.rowCount)
        // The untouched originals are ingested: the harness does not reject everything.
        for path in originals { XCTAssertFalse(audioRejections.contains { $0.path == path }, "\(path) rejected") }
        // The committed crashers that are legal audio are ingested; the others are rejected.
        let legal = ["flac-streaminfo-0-samples.flac"]
        for name in try FileManager.default.contentsOfDirectory(atPath: crasherFolder.path) {
            let rejected = audioRejections.contains { $0.path == crasherFolder.appendingPathComponent(name).path }
            XCTAssertEqual(rejected, !legal.contains(name), name)
        }
        summarize("audio", inputs: inputs.count + nonFiles.count, rows: manifest.rowCount, rejected: manifest.rejected)
        for kind in formats.map(\.folder) + ["crashers", "notfiles"] {
            let prefix = corpus.appendingPathComponent(kind).path + "/"
            let all = (inputs + nonFiles).filter { $0.hasPrefix(prefix) }.count
            let rejected = manifest.rejected.filter { $0.path.hasPrefix(prefix) }.count
            print("  \(kind): \(all) inputs, \(all - rejected) ingested, \(rejected) rejected")
        }
    }

    // MARK: Metadata

    func testMutatedMetadataIsIngestedOrRejectedNeverACrashHangOrEscape() throws {
        var rng = SplitMix64(seed: Self.seed ^ 0x4D45_5441)
        // Three levels down, so that `../../../outside/x.wav` from the corpus folder reaches `work/outside/x.wav`.
        let data = work.appendingPathComponent("data/corpora")
        let corpus = data.appendingPathComponent("TAU-urban-acoustic-scenes-2020-mobile-development")
        let audio = corpus.appendingPathComponent("audio")
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: corpus.appendingPathComponent("evaluation_setup"), withIntermediateDirectories: true)
        // A file outside the corpus that an escaping line could reach.
        let outside = work.appendingPathComponent("outside/x.wav")
        try FileManager.default.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)
        let template = work.appendingPathComponent("template.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16000, channels: [(0..<16000).map { Float(sin(Double($0) * 0.07)) * 0.3 }]),
                                  to: template, format: .pcm16)
        try FileManager.default.copyItem(at: template, to: outside)
        let names = (0..<20).map { "audio/\(TAU2020Recipe.classes[$0 % 10])-lyon-\($0)-\($0 * 10)-a.wav" }
        for name in names { try FileManager.default.copyItem(at: template, to: corpus.appendingPathComponent(name)) }
        let meta = Data((["filename\tscene_label\tidentifier\tsource_label"]
            + names.enumerated().map { "\($1)\t\(TAU2020Recipe.classes[$0 % 10])\tlyon-\($0)\ta" }).joined(separator: "\n").utf8 + [0x0A])
        let train = Data((["filename\tscene_label"] + names.prefix(10).enumerated().map { "\($1)\t\(TAU2020Recipe.classes[$0 % 10])" })
            .joined(separator: "\r\n").utf8 + [0x0D, 0x0A])
        let evaluate = Data((["filename\tscene_label"] + names.suffix(10).enumerated().map { "\($1)\t\(TAU2020Recipe.classes[$0 % 10])" })
            .joined(separator: "\r\n").utf8 + [0x0D, 0x0A])
        let files = [corpus.appendingPathComponent("meta.csv"), corpus.appendingPathComponent("evaluation_setup/fold1_train.csv"),
                     corpus.appendingPathComponent("evaluation_setup/fold1_evaluate.csv")]

        // The committed metadata crashers, each a meta.csv alone (no fold files to fall back on), with
        // what must come of it: rows, and the meta.csv lines rejected.
        var cases: [(name: String, contents: [Data?], expected: (rows: Int, rejectedLines: [Int])?)] = []
        let crasherFolder = crashers.appendingPathComponent("metadata")
        let expected: [String: (Int, [Int])] = [
            "tau-meta-cr-only.csv": (20, []), "tau-meta-nul-in-fields.csv": (18, [5, 7]),
            "tau-meta-second-spelling.csv": (20, [22]), "tau-meta-escape.csv": (20, [22]),
        ]
        for name in try FileManager.default.contentsOfDirectory(atPath: crasherFolder.path).sorted() where name.hasSuffix(".csv") {
            let outcome = try XCTUnwrap(expected[name], "no expected outcome for the crasher \(name)")
            cases.append((name, [try Data(contentsOf: crasherFolder.appendingPathComponent(name)), nil, nil], outcome))
        }
        // Then seeded mutants of all three files.
        for m in 0..<Self.metadataMutants {
            var contents = [meta, train, evaluate]
            for _ in 0...rng.nextInt(below: 3) {
                let which = rng.nextInt(below: 3)
                contents[which] = Data(Self.mutateText([UInt8](contents[which]), rng: &rng))
            }
            cases.append(("mutant \(m)", contents, nil))
        }

        var tally = (runs: 0, refused: 0, rows: 0, rejected: [RejectedInput]())
        let realCorpus = try XCTUnwrap(Self.realPath(corpus))
        for (index, test) in cases.enumerated() {
            for (file, content) in zip(files, test.contents) {
                try? FileManager.default.removeItem(at: file)
                try content?.write(to: file)
            }
            let run = try ingest(["tau2020", "--data", data.path], name: "meta\(index)")
            tally.runs += 1
            guard run.exit == .exit(0) else {
                // Only a corpus with no usable line left may be refused (cleanly, saying so); a crasher never.
                XCTAssertEqual(run.exit, .exit(1), "\(test.name): \(run.exit)\n\(run.stderr)")
                XCTAssertTrue(run.stderr.contains("nothing to ingest"), "\(test.name): \(run.stderr)")
                XCTAssertNil(test.expected, "\(test.name) was refused: \(run.stderr)")
                tally.refused += 1
                continue
            }
            guard let manifest = try checkedManifest(run) else { continue }
            let catalog = try catalogRecordings(run.store)
            // Nothing from outside the corpus, one row per file, and the counts add up.
            for recording in catalog {
                let real = try XCTUnwrap(Self.realPath(URL(fileURLWithPath: recording.path)), recording.path)
                XCTAssertTrue(real.hasPrefix(realCorpus + "/"), "\(test.name): \(recording.path) is outside the corpus")
            }
            XCTAssertEqual(Set(catalog.map(\.id)).count, catalog.count, test.name)
            XCTAssertEqual(Set(catalog.map { Self.realPath(URL(fileURLWithPath: $0.path)) }).count, catalog.count, test.name)
            let audioRejections = manifest.rejected.filter { r in catalog.contains { $0.path == r.path } }
            XCTAssertEqual(manifest.rowCount + audioRejections.count, catalog.count, test.name)
            for rejection in manifest.rejected where !audioRejections.contains(rejection) {
                XCTAssertFalse(rejection.reason.isEmpty, test.name)
                XCTAssertTrue(files.map(\.path).contains(rejection.path) || rejection.path.hasPrefix(corpus.path),
                              "\(test.name): \(rejection)")
            }
            if let expected = test.expected {
                XCTAssertEqual(manifest.rowCount, expected.rows, "\(test.name): \(manifest.rejected)")
                XCTAssertEqual(manifest.rejected.filter { $0.path == files[0].path }.compactMap(\.line), expected.rejectedLines,
                               "\(test.name): \(manifest.rejected)")
            }
            tally.rows += manifest.rowCount
            tally.rejected += manifest.rejected
        }
        XCTAssertGreaterThan(tally.runs - tally.refused, tally.runs / 2, "most mutants should still ingest")
        summarize("metadata", inputs: cases.count, rows: tally.rows, rejected: tally.rejected, refused: tally.refused)
    }

    // MARK: Mutations

    /// A truncation, a few flipped bytes anywhere, a few in the header, or a truncation and header flips.
    static func mutate(_ original: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        func flip(count: Int, within limit: Int) {
            for _ in 0..<count where !bytes.isEmpty {
                bytes[rng.nextInt(below: min(limit, bytes.count))] ^= UInt8(1 << rng.nextInt(below: 8))
            }
        }
        let kind = rng.nextInt(below: 4)
        if kind == 0 || kind == 3 { bytes = Array(bytes.prefix(rng.nextInt(below: bytes.count))) }
        if kind == 1 { flip(count: 1 + rng.nextInt(below: 8), within: bytes.count) }
        if kind == 2 || kind == 3 { flip(count: 1 + rng.nextInt(below: 4), within: 64) }
        return bytes
    }

    /// One edit of a metadata file as copies break them: a flipped byte, a NUL, CR-only line ends,
    /// a second spelling or an escape, a duplicated or lost line, a cut, a changed delimiter.
    static func mutateText(_ original: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let lineStarts = [0] + bytes.indices.filter { bytes[$0] == 0x0A && $0 + 1 < bytes.count }.map { $0 + 1 }
        let line = lineStarts[rng.nextInt(below: lineStarts.count)]
        switch rng.nextInt(below: 9) {
        case 0: if !bytes.isEmpty { bytes[rng.nextInt(below: bytes.count)] ^= UInt8(1 << rng.nextInt(below: 8)) }
        case 1: bytes.insert(0, at: rng.nextInt(below: bytes.count + 1))
        case 2: bytes = bytes.filter { $0 != 0x0D }.map { $0 == 0x0A ? 0x0D : $0 }
        case 3: bytes.insert(contentsOf: Array("audio/../".utf8), at: line)
        case 4: bytes.insert(contentsOf: Array("../../../outside/x.wav\tpark\tlyon-99\ta\n".utf8), at: line)
        case 5:
            let end = bytes[line...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            bytes.insert(contentsOf: bytes[line..<end], at: end)
        case 6:
            let end = bytes[line...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            bytes.removeSubrange(line..<end)
        case 7: bytes = Array(bytes.prefix(rng.nextInt(below: bytes.count + 1)))
        default: bytes = bytes.map { $0 == 0x09 && rng.nextInt(below: 4) == 0 ? UInt8(ascii: ",") : $0 }
        }
        return bytes
    }

    // MARK: The child process

    struct Run {
        var exit: Exit
        var stderr: String
        var store: URL
    }

    enum Exit: Equatable { case exit(Int32), signal(Int32), timeout }

    /// `pipe ingest ARGS` with a short pipeline, stdout and stderr to files (a full pipe cannot block it).
    func ingest(_ arguments: [String], name: String) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is missing: `make test` builds it before running the tests")
        }
        let store = work.appendingPathComponent("store-\(name)")
        let out = work.appendingPathComponent("\(name).out"), err = work.appendingPathComponent("\(name).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["ingest"] + arguments + ["--pipeline", try pipeline().path, "--out", store.path,
                                                      "--threads", "2", "--progress", "none", "--accept-rejections"]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        var exit: Exit
        if ended.wait(timeout: .now() + Self.timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            ended.wait()
            exit = .timeout
        } else {
            exit = process.terminationReason == .uncaughtSignal ? .signal(process.terminationStatus) : .exit(process.terminationStatus)
        }
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        return Run(exit: exit, stderr: stderr, store: store)
    }

    /// The run ended with status 0 and a manifest, or the test fails saying how it ended.
    func checkedManifest(_ run: Run, line: UInt = #line) throws -> Manifest? {
        XCTAssertEqual(run.exit, .exit(0), "ingest ended with \(run.exit)\n\(run.stderr)", line: line)
        guard run.exit == .exit(0) else { return nil }
        return try Manifest.load(from: run.store)
    }

    private var pipelineURL: URL?

    /// pipelines/ingest.yaml at 16 kHz with 1-s clips and a small log-mel, so a run takes seconds.
    func pipeline() throws -> URL {
        if let pipelineURL { return pipelineURL }
        var yaml = try String(contentsOf: Repository.url("pipelines/ingest.yaml"), encoding: .utf8)
        for (old, new) in [("sample_rate: 44100", "sample_rate: 16000"), ("duration: 10.0", "duration: 1.0"),
                           ("n_fft: 2048", "n_fft: 512"), ("win_length: 1764", "win_length: 400"),
                           ("hop_length: 882", "hop_length: 160"), ("n_mels: 64", "n_mels: 32")] {
            XCTAssertTrue(yaml.contains(old), "pipelines/ingest.yaml no longer has '\(old)'")
            yaml = yaml.replacingOccurrences(of: old, with: new)
        }
        let url = work.appendingPathComponent("fuzz.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        pipelineURL = url
        return url
    }

    func catalogRecordings(_ store: URL) throws -> [Recording] {
        struct Line: Decodable { let recording: Recording }
        let text = try String(contentsOf: store.appendingPathComponent("catalog.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)).recording }
    }

    func catalogPaths(_ store: URL) throws -> [String] { try catalogRecordings(store).map(\.path) }

    /// `realpath`, for checking that nothing from outside the corpus was ingested.
    static func realPath(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What happened to each kind of input, printed for the closing note.
    func summarize(_ kind: String, inputs: Int, rows: Int, rejected: [RejectedInput], refused: Int = 0) {
        var reasons: [String: Int] = [:]
        for r in rejected {
            let key = r.reason.split(separator: "(").first.map { String($0).replacingOccurrences(of: #"[0-9]+"#, with: "N", options: .regularExpression) } ?? r.reason
            reasons[String(key.prefix(60)).trimmingCharacters(in: .whitespaces), default: 0] += 1
        }
        print("fuzz \(kind): seed 0x\(String(Self.seed, radix: 16)), \(inputs) inputs, \(rows) rows, \(rejected.count) rejections, \(refused) runs refused")
        for (reason, count) in reasons.sorted(by: { ($0.value, $0.key) > ($1.value, $1.key) }) { print("  \(count) × \(reason)") }
    }
}
