import Foundation
import ShippedFiles
import TestSupport
import XCTest

/// `pipe` copied alone into a folder that is not the repository: the shipped pipelines and
/// taxonomies come from the binary, by name, and it says so.
final class CLIAnywhereTests: XCTestCase {
    /// A folder outside the repository holding nothing but a copy of the `pipe` executable.
    func loneBinary() throws -> (folder: URL, pipe: URL) {
        let folder = try TemporaryFolder.forTest(self, label: "anywhere")
        let pipe = folder.appendingPathComponent("pipe")
        try FileManager.default.copyItem(at: Repository.pipeExecutable, to: pipe)
        return (folder, pipe)
    }

    func testIngestMergeAndResumeWithShippedNamesFromAnotherFolder() throws {
        let (folder, pipe) = try loneBinary()
        XCTAssertFalse(folder.path.hasPrefix(Repository.root.path))
        // 6-s clips: the ingest pipeline keeps 10 s and rejects files below half of that.
        let synth = try ProcessRunner.run(pipe, ["synth", "cochlscene", "--out", "data", "--per-class", "1", "--duration", "6"], in: folder)
        XCTAssertEqual(synth.status, 0, synth.err)

        let ingestArgs = ["ingest", "cochlscene", "--pipeline", "ingest", "--data", "data", "--out", "store", "--progress", "none"]
        let ingest = try ProcessRunner.run(pipe, ingestArgs, in: folder)
        XCTAssertEqual(ingest.status, 0, ingest.err)
        XCTAssertTrue(ingest.err.contains("using the embedded pipeline 'ingest'"), ingest.err)
        XCTAssertTrue(ingest.out.contains("clips/s"), ingest.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("store/manifest.json").path))

        // The default taxonomy by name; the README's repository path works here too.
        for taxonomy in ["asc10", "manifests/taxonomies/asc10.yaml"] {
            let merged = try ProcessRunner.run(pipe, ["labels", "merge", "--taxonomy", taxonomy, "store",
                                                      "--out", "view-\(taxonomy.count)"], in: folder)
            XCTAssertEqual(merged.status, 0, merged.err)
            XCTAssertTrue(merged.err.contains("using the embedded taxonomy 'asc10'"), merged.err)
        }

        // Everything reused: said in words, no clips/s over clips never computed.
        let again = try ProcessRunner.run(pipe, ingestArgs, in: folder)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.out.contains(" reused from an earlier run; nothing computed"), again.out)
        XCTAssertFalse(again.out.contains("clips/s"), again.out)
    }

    /// A file at the given path wins over the embedded copy of the same name.
    func testALocalFileWinsAndIsNamed() throws {
        let (folder, pipe) = try loneBinary()
        let yaml = ShippedFiles.embedded(.pipeline, named: "ingest")!.text
            .replacingOccurrences(of: "name: ingest", with: "name: local-ingest")
        try TemporaryFolder.write(in: folder, yaml, to: "ingest")
        let result = try ProcessRunner.run(pipe, ["ingest", "cochlscene", "--pipeline", "ingest", "--data", "nowhere"], in: folder)
        XCTAssertTrue(result.err.contains("pipeline: using \(folder.appendingPathComponent("ingest").standardizedFileURL.path)"),
                      result.err)
        XCTAssertNotEqual(result.status, 0)
    }

    func testAMissingPipelineSaysWhereItLooked() throws {
        let (folder, pipe) = try loneBinary()
        let result = try ProcessRunner.run(pipe, ["run", "pipelines/sps.yaml", "--data", "data"], in: folder)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.err.contains("pipeline 'pipelines/sps.yaml' not found: no file at "
                                          + folder.appendingPathComponent("pipelines/sps.yaml").path), result.err)
        XCTAssertTrue(result.err.contains("embedded: ds-flexinet, estm-dcase2020t2, ffmamba-seld, ingest"), result.err)
    }

    func testPipelinesListsEveryShippedFileWithItsPaper() throws {
        let (folder, pipe) = try loneBinary()
        let result = try ProcessRunner.run(pipe, ["pipelines"], in: folder)
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n").map(String.init)
        for file in ShippedFiles.files(.pipeline) {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(file.name + " ") }, "\(file.name) not listed:\n\(result.out)")
            let paper = try XCTUnwrap(file.paper), description = try XCTUnwrap(file.description)
            XCTAssertTrue(line.contains(paper) && line.contains(description), line)
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("asc10 ") }, result.out)
    }

    /// `--version`: the tool's version and each C library's, read from the libraries linked.
    func testVersionNamesTheToolAndEveryLibrary() throws {
        let result = try ProcessRunner.pipe(["--version"])
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("pipe 0.") == true, result.out)
        for library in ["HDF5", "libsndfile", "libsamplerate", "libsoxr", "FFTW", "OpenBLAS", "Nettle"] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("  \(library) ") }, "\(library) missing:\n\(result.out)")
            XCTAssertTrue(line.contains { $0.isNumber }, line)
        }
    }
}
