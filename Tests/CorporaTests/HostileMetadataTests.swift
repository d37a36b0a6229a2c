import Foundation
import TestSupport
import XCTest
@testable import Corpora

/// Metadata as real copies break it — saved CR-only, a NUL in a field, a second spelling of a file,
/// a path that leaves the corpus, a folder where a file should be — read line by line, inside the
/// corpus: each is a per-line issue naming file and line, or (for a metadata file that cannot be
/// read) an error; never rows lost in silence, a failed run, or a file from outside.
final class HostileMetadataTests: XCTestCase {
    static let tauFolder = "TAU-urban-acoustic-scenes-2020-mobile-development"

    /// `text` with every line end (LF or CRLF) turned into a lone CR, as old Mac tools save it.
    func crOnly(_ data: Data) -> Data {
        var out: [UInt8] = []
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { out.append(0x0D); i += 2; continue }
            out.append(bytes[i] == 0x0A ? 0x0D : bytes[i])
            i += 1
        }
        return Data(out)
    }

    /// A TAU corpus in `dir` with `meta.csv` holding `rows` (already TAB-joined), and an empty WAV
    /// for every name in `files`.
    @discardableResult
    func tau(_ dir: TemporaryFolder, meta rows: [String], files: [String]) throws -> URL {
        let text = (["filename\tscene_label\tidentifier\tsource_label"] + rows).joined(separator: "\n") + "\n"
        try dir.write(text, to: "\(Self.tauFolder)/meta.csv")
        for name in files { try dir.write("", to: "\(Self.tauFolder)/\(name)") }
        return dir.url.appendingPathComponent(Self.tauFolder)
    }

    func row(_ scene: String, _ city: String, _ n: Int, device: String = "a") -> (name: String, line: String) {
        let name = "audio/\(scene)-\(city)-\(n)-\(n * 10)-\(device).wav"
        return (name, "\(name)\t\(scene)\t\(city)-\(n)\t\(device)")
    }

    // MARK: Line endings

    /// A 30-row TAU meta.csv saved CR-only lost every row with exit 0; now it keeps all 30.
    func testCROnlyTAUMetaKeepsEveryRow() throws {
        let dir = try TemporaryFolder("cr-tau")
        defer { dir.remove() }
        let rows = (0..<30).map { row(TAU2020Recipe.classes[$0 % 10], "lisbon", 1000 + $0) }
        let corpus = try tau(dir, meta: rows.map(\.line), files: rows.map(\.name))
        let meta = corpus.appendingPathComponent("meta.csv")
        try crOnly(try Data(contentsOf: meta)).write(to: meta)
        XCTAssertFalse(try Data(contentsOf: meta).contains(0x0A))
        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues, [])
        XCTAssertEqual(catalog.recordings.count, 30)
        XCTAssertEqual(Set(catalog.recordings.compactMap(\.label)).count, 10)
        XCTAssertTrue(catalog.recordings.allSatisfy { $0.device == "a" && !$0.path.contains("\r") })
    }

    /// The real fold files converted to CR-only give the same 16,930 recordings and the same five
    /// missing-file issues at the same line numbers.
    func testCROnlyRealTAUFoldsKeepEveryRowAndLineNumber() throws {
        let dir = try TemporaryFolder("cr-tau-real")
        defer { dir.remove() }
        let corpus = try RealMetadataFixture.makeTAU(in: dir.url, skipping: Set(RealMetadataFixture.tauMissing.map(\.name)))
        for fold in ["fold1_train.csv", "fold1_evaluate.csv"] {
            let url = corpus.appendingPathComponent("evaluation_setup/\(fold)")
            try crOnly(try Data(contentsOf: url)).write(to: url)
        }
        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.count, 13_965 + 2_970 - 5)
        XCTAssertEqual(catalog.issues.map(\.message), RealMetadataFixture.tauMissing.map {
            "\($0.file) line \($0.line): \($0.name) is listed but missing"
        })
    }

    /// CAS lost its whole dev split when the dev CSV was CR-only.
    func testCROnlyRealCASDevKeepsItsSplit() throws {
        let dir = try TemporaryFolder("cr-cas")
        defer { dir.remove() }
        let corpus = try RealMetadataFixture.makeCAS(in: dir.url)
        let dev = corpus.appendingPathComponent("APSIPA2025_GC_ASC_dev_metadata.csv")
        try crOnly(try Data(contentsOf: dev)).write(to: dev)
        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues, [])
        XCTAssertEqual(catalog.recordings.filter { $0.split == "dev" }.count, 8_700)
        XCTAssertEqual(catalog.recordings.filter { $0.split == "dev" && $0.labeled }.count, 1_740)
        XCTAssertEqual(catalog.recordings.filter { $0.split == "eval" }.count, 1_100)
    }

    func testEveryLineEndingCountsOneLine() {
        let data = Data("h\r\na\rb\nc\r\n\rd".utf8)
        let table = MetadataTable.parse(data, url: URL(fileURLWithPath: "/x.csv"), delimiter: ",") { _ in true }
        XCTAssertEqual(table.headerLine, 1)
        XCTAssertEqual(table.lines, [MetadataLine(number: 2, fields: ["a"]), MetadataLine(number: 3, fields: ["b"]),
                                     MetadataLine(number: 4, fields: ["c"]), MetadataLine(number: 6, fields: ["d"])])
    }

    // MARK: Metadata paths that are not files

    func testMetadataPathThatIsAFolderOrALinkLoopIsAnError() throws {
        let dir = try TemporaryFolder("meta-kind")
        defer { dir.remove() }
        let one = row("park", "lyon", 7)
        let corpus = try tau(dir, meta: [one.line], files: [one.name])
        try dir.write("filename\tscene_label\n\(one.name)\tpark\n", to: "\(Self.tauFolder)/evaluation_setup/fold1_train.csv")
        let meta = corpus.appendingPathComponent("meta.csv")

        try FileManager.default.removeItem(at: meta)
        try FileManager.default.createDirectory(at: meta, withIntermediateDirectories: false)
        XCTAssertThrowsError(try TAU2020Recipe().catalog(root: dir.url)) { error in
            XCTAssertEqual(error as? CorpusError, .unreadable(path: meta.path, reason: "is a folder, not a metadata file"))
        }

        try FileManager.default.removeItem(at: meta)
        try FileManager.default.createSymbolicLink(atPath: meta.path, withDestinationPath: meta.path)
        XCTAssertThrowsError(try TAU2020Recipe().catalog(root: dir.url)) { error in
            XCTAssertEqual(error as? CorpusError, .unreadable(path: meta.path, reason: "is a symbolic link loop"))
        }

        XCTAssertEqual(mkfifo(meta.path + ".fifo", 0o644), 0)
        try FileManager.default.removeItem(at: meta)
        try FileManager.default.moveItem(atPath: meta.path + ".fifo", toPath: meta.path)
        XCTAssertThrowsError(try TAU2020Recipe().catalog(root: dir.url)) { error in
            XCTAssertEqual(error as? CorpusError, .unreadable(path: meta.path, reason: "is a FIFO (named pipe), not a metadata file"))
        }
    }

    /// CAS's APSIPA dev file as a folder must not fall back to the ICME one (or to no dev split).
    func testCASMetadataFolderIsAnErrorNotAFallback() throws {
        let dir = try TemporaryFolder("cas-kind")
        defer { dir.remove() }
        try dir.write("filename,scene_label\r\nx,Bus\r\n", to: "CAS2023/ICME2024_ASC_dev_label.csv")
        try dir.write("", to: "CAS2023/ICME2024_GC_ASC_dev/x.wav")
        let apsipa = dir.url.appendingPathComponent("CAS2023/APSIPA2025_GC_ASC_dev_metadata.csv")
        try FileManager.default.createDirectory(at: apsipa, withIntermediateDirectories: false)
        XCTAssertThrowsError(try CAS2023Recipe().catalog(root: dir.url)) { error in
            XCTAssertEqual(error as? CorpusError, .unreadable(path: apsipa.path, reason: "is a folder, not a metadata file"))
        }
    }

    // MARK: Values no name or label holds

    /// A NUL in one TAU source_label or identifier failed the whole run at the shard write.
    func testNULInATAUFieldIsThatLineOnly() throws {
        let dir = try TemporaryFolder("nul-tau")
        defer { dir.remove() }
        let rows = (0..<4).map { row("bus", "paris", 10 + $0) }
        var lines = rows.map(\.line)
        lines[1] = lines[1].replacingOccurrences(of: "\ta", with: "\ta\u{0}")          // source_label
        lines[2] = lines[2].replacingOccurrences(of: "paris-12", with: "paris\u{0}-12") // identifier
        try tau(dir, meta: lines, files: rows.map(\.name))
        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map(\.message), [
            "meta.csv line 3: the line holds a NUL byte; no name or label contains one",
            "meta.csv line 4: the line holds a NUL byte; no name or label contains one",
        ])
        XCTAssertEqual(catalog.recordings.map(\.id), [rows[0], rows[3]].map { "tau2020/\(FileSystem.stem($0.name))" })
        XCTAssertFalse(catalog.recordings.contains { "\($0)".contains("\u{0}") })
    }

    func testNULInACASLocationIsThatLineOnly() throws {
        let dir = try TemporaryFolder("nul-cas")
        defer { dir.remove() }
        try dir.write("filename,location,record_time,scene_label\nx,Hefei,,Bus\ny,He\u{0}fei,,Bus\n",
                      to: "CAS2023/APSIPA2025_GC_ASC_dev_metadata.csv")
        try dir.write("", to: "CAS2023/ICME2024_GC_ASC_dev/x.wav")
        try dir.write("", to: "CAS2023/ICME2024_GC_ASC_dev/y.wav")
        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map(\.message), ["APSIPA2025_GC_ASC_dev_metadata.csv line 3: the line holds a NUL byte; no name or label contains one"])
        XCTAssertEqual(catalog.recordings.map(\.id), ["cas2023/x"])
    }

    // MARK: One file, one spelling

    /// `audio/../audio/X.wav` refused every corpus ("recording ids are not unique"); now it is one duplicate line.
    func testSecondSpellingOfAListedFileIsADuplicateLine() throws {
        let dir = try TemporaryFolder("spelling")
        defer { dir.remove() }
        let a = row("tram", "vienna", 3), b = row("metro", "milan", 4)
        let respelled = a.line.replacingOccurrences(of: "audio/", with: "audio/../audio/")
        try tau(dir, meta: [a.line, b.line, respelled], files: [a.name, b.name])
        try dir.write("filename\tscene_label\n\(a.name)\ttram\n./\(a.name)\ttram\n",
                      to: "\(Self.tauFolder)/evaluation_setup/fold1_train.csv")
        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map(\.message), [
            "meta.csv line 4: audio/../\(a.name) is listed twice (first at line 2)",
            "fold1_train.csv line 3: ./\(a.name) is already listed in fold1_train.csv line 2",
        ])
        XCTAssertEqual(catalog.recordings.count, 2)
        XCTAssertEqual(Set(catalog.recordings.map(\.id)).count, 2)
        XCTAssertEqual(catalog.recordings.first { $0.label == "tram" }?.split, "train")
    }

    func testCASSecondSpellingIsADuplicateLine() throws {
        let dir = try TemporaryFolder("cas-spelling")
        defer { dir.remove() }
        try dir.write("filename,scene_label\r\nx,Bus\r\n./x.wav,Bus\r\n", to: "CAS2023/ICME2024_ASC_dev_label.csv")
        try dir.write("", to: "CAS2023/ICME2024_GC_ASC_dev/x.wav")
        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map(\.message), ["ICME2024_ASC_dev_label.csv line 3: x is already listed in ICME2024_ASC_dev_label.csv line 2"])
        XCTAssertEqual(catalog.recordings.map(\.id), ["cas2023/x"])
    }

    // MARK: Inside the corpus

    /// `../../../outside/x.wav` ingested a file from outside the corpus, labelled.
    func testTAUPathsThatLeaveTheCorpusAreRejected() throws {
        let dir = try TemporaryFolder("escape-tau")
        defer { dir.remove() }
        let inside = row("park", "prague", 1), linked = row("bus", "prague", 2), viaFolder = row("tram", "prague", 3)
        let outside = try dir.write("", to: "outside/x.wav")
        let escape = "../../../outside/x.wav\tpark\tprague-9\ta"
        try tau(dir, meta: [inside.line, escape, linked.line, viaFolder.line], files: [inside.name])
        let corpus = dir.url.appendingPathComponent(Self.tauFolder)
        // A link in audio/ to a file outside, and a linked folder that leads outside.
        try FileManager.default.createSymbolicLink(atPath: corpus.appendingPathComponent(linked.name).path,
                                                   withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: corpus.appendingPathComponent("audio/sub").path,
                                                   withDestinationPath: outside.deletingLastPathComponent().path)
        let subLine = "audio/sub/x.wav\tpark\tprague-8\ta"
        let meta = corpus.appendingPathComponent("meta.csv")
        try (String(contentsOf: meta, encoding: .utf8) + subLine + "\n").write(to: meta, atomically: true, encoding: .utf8)

        let catalog = try TAU2020Recipe().catalog(root: dir.url)
        let real = FileSystem.resolvedPath(outside)!
        XCTAssertEqual(catalog.issues.map(\.message), [
            "meta.csv line 3: ../../../outside/x.wav points outside the corpus folder",
            "meta.csv line 4: \(linked.name) is a symbolic link to \(real), outside the corpus folder \(corpus.path)",
            "meta.csv line 5: \(viaFolder.name) is listed but missing",
            "meta.csv line 6: audio/sub/x.wav is in \((real as NSString).deletingLastPathComponent), outside the corpus folder \(corpus.path) (through a symbolic link)",
        ])
        XCTAssertEqual(catalog.recordings.map(\.path), [corpus.appendingPathComponent(inside.name).path])

        // A link that stays inside the corpus is that file.
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(linked.name))
        try FileManager.default.createSymbolicLink(atPath: corpus.appendingPathComponent(linked.name).path,
                                                   withDestinationPath: corpus.appendingPathComponent(inside.name).path)
        XCTAssertEqual(try TAU2020Recipe().catalog(root: dir.url).recordings.count, 2)
    }

    /// A dev line `../ICME2024_GC_ASC_eval/<stem>` stored an eval clip a second time, in dev, labelled.
    func testCASDevLineNamingAnEvalClipIsRejected() throws {
        let dir = try TemporaryFolder("escape-cas")
        defer { dir.remove() }
        try dir.write("filename,location,record_time,scene_label\nd1,Hefei,,Bus\n../ICME2024_GC_ASC_eval/e1,Hefei,,Bar\n",
                      to: "CAS2023/APSIPA2025_GC_ASC_dev_metadata.csv")
        try dir.write("filename,location,record_time,scene_label\ne1,Hefei,,\n", to: "CAS2023/APSIPA2025_GC_ASC_eval_metadata.csv")
        try dir.write("", to: "CAS2023/ICME2024_GC_ASC_dev/d1.wav")
        try dir.write("", to: "CAS2023/ICME2024_GC_ASC_eval/e1.wav")
        let catalog = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.issues.map(\.message), [
            "APSIPA2025_GC_ASC_dev_metadata.csv line 3: ../ICME2024_GC_ASC_eval/e1 points outside ICME2024_GC_ASC_dev/",
        ])
        XCTAssertEqual(catalog.recordings.map { "\($0.id) \($0.split) \($0.label ?? "-")" }, ["cas2023/d1 dev Bus", "cas2023/e1 eval -"])

        // Through a link, too.
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("CAS2023/ICME2024_GC_ASC_dev/d1.wav"))
        try FileManager.default.createSymbolicLink(atPath: dir.url.appendingPathComponent("CAS2023/ICME2024_GC_ASC_dev/d1.wav").path,
                                                   withDestinationPath: "../ICME2024_GC_ASC_eval/e1.wav")
        let linked = try CAS2023Recipe().catalog(root: dir.url)
        XCTAssertTrue(linked.issues.contains { $0.line == 2 && $0.reason.contains("is a symbolic link to") && $0.reason.contains("outside") },
                      "\(linked.issues)")
        XCTAssertEqual(linked.recordings.map(\.id), ["cas2023/e1"])
    }

    /// The corpus folder itself may be reached through a link: its real path is the bound.
    func testCorpusReachedThroughALinkIsFine() throws {
        let dir = try TemporaryFolder("linked-root")
        defer { dir.remove() }
        let one = row("park", "lyon", 5)
        try tau(dir, meta: [one.line], files: [one.name])
        let link = dir.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: link, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: link.appendingPathComponent(Self.tauFolder).path,
                                                   withDestinationPath: dir.url.appendingPathComponent(Self.tauFolder).path)
        let catalog = try TAU2020Recipe().catalog(root: link)
        XCTAssertEqual(catalog.issues, [])
        XCTAssertEqual(catalog.recordings.count, 1)

        // So may its published audio folder (a link to a larger disk), but not another folder in it.
        let corpus = dir.url.appendingPathComponent(Self.tauFolder)
        let disk = dir.url.appendingPathComponent("disk2/audio")
        try FileManager.default.createDirectory(at: disk.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: corpus.appendingPathComponent("audio"), to: disk)
        try FileManager.default.createSymbolicLink(atPath: corpus.appendingPathComponent("audio").path, withDestinationPath: disk.path)
        let linkedAudio = try TAU2020Recipe().catalog(root: dir.url)
        XCTAssertEqual(linkedAudio.issues, [])
        XCTAssertEqual(linkedAudio.recordings.map(\.path), [corpus.appendingPathComponent(one.name).path])
    }

    // MARK: The folder recipe

    /// The folder recipe skipped FIFOs, folders named x.wav, link loops and device links in silence.
    func testFolderRecipeReportsWhatIsNotAnAudioFile() throws {
        let dir = try TemporaryFolder("folder-kinds")
        defer { dir.remove() }
        try dir.write("", to: "dog/a.wav")
        try dir.write("", to: "elsewhere-target.wav")
        XCTAssertEqual(mkfifo(dir.url.appendingPathComponent("dog/fifo.wav").path, 0o644), 0)
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("dog/folder.wav"), withIntermediateDirectories: false)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: dir.url.appendingPathComponent("dog/loop.wav").path, withDestinationPath: "loop.wav")
        try fm.createSymbolicLink(atPath: dir.url.appendingPathComponent("dog/null.wav").path, withDestinationPath: "/dev/null")
        try fm.createSymbolicLink(atPath: dir.url.appendingPathComponent("dog/good.wav").path,
                                  withDestinationPath: dir.url.appendingPathComponent("elsewhere-target.wav").path)
        try fm.createSymbolicLink(atPath: dir.url.appendingPathComponent("dog/cycle").path, withDestinationPath: dir.url.path)
        let catalog = try FolderRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map(\.id), ["folder/dog/a", "folder/dog/good", "folder/elsewhere-target"])
        XCTAssertEqual(catalog.issues.map(\.message), [
            "cycle: is a symbolic link to a folder; not followed",
            "fifo.wav: is a FIFO (named pipe), not an audio file; skipped",
            "folder.wav: is a folder named like an audio file; entered as a folder",
            "loop.wav: is a symbolic link loop; skipped",
            "null.wav: is a symbolic link to a character device, not an audio file; skipped",
        ])
    }
}
