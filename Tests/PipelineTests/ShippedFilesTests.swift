import Foundation
import Pipeline
import ShippedFiles
import TestSupport
import XCTest

/// The pipelines and taxonomies built into `pipe` are the repository's files, byte for byte, and an
/// argument finds a file first, then an embedded copy, or says what it looked for.
final class ShippedFilesTests: XCTestCase {
    /// Fails when a YAML file was edited, added or removed without `make embed`.
    func testEmbeddedTextsEqualTheFiles() throws {
        for kind in ShippedFile.Kind.allCases {
            let folder = Repository.url(kind.folder)
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(kind.folder)/\($0)" }
            XCTAssertEqual(ShippedFiles.files(kind).map(\.path), onDisk, "run `make embed`")
            for file in ShippedFiles.files(kind) {
                let bytes = try Data(contentsOf: Repository.url(file.path))
                XCTAssertEqual(Data(file.text.utf8), bytes, "\(file.path) differs from its embedded copy: run `make embed`")
            }
        }
        XCTAssertFalse(ShippedFiles.files(.pipeline).isEmpty)
        XCTAssertFalse(ShippedFiles.files(.taxonomy).isEmpty)
    }

    /// Every embedded pipeline decodes, and names a paper and a description for `pipe pipelines`.
    func testEveryShippedPipelineDecodesAndNamesItsPaper() throws {
        for file in ShippedFiles.files(.pipeline) {
            let config = try PipelineConfig.load(yaml: file.text, source: file.path)
            XCTAssertEqual(config.name, file.name, file.path)
            XCTAssertEqual(config.description, file.description, file.path)
            let paper = try XCTUnwrap(file.paper, "\(file.path): first comment line must start with '<Paper> (seed NNN'")
            XCTAssertTrue(paper.contains("(seed 00"), paper)
        }
        XCTAssertEqual(ShippedFiles.embedded(.pipeline, named: "ds-flexinet")?.paper,
                       "DS-FlexiNet (seed 001, low-resource ASC on TAU 2022 Mobile)")
    }

    func testAnExistingFileWinsOverTheEmbeddedCopy() throws {
        let folder = try TemporaryFolder.forTest(self)
        let local = try TemporaryFolder.write(in: folder, "name: mine\n", to: "ingest")
        let resolved = try ShippedFiles.resolve("ingest", kind: .pipeline, relativeTo: folder)
        XCTAssertEqual(resolved.origin, .file(local.standardizedFileURL))
        XCTAssertEqual(resolved.text, "name: mine\n")
        XCTAssertTrue(resolved.usedLine.contains(local.standardizedFileURL.path), resolved.usedLine)
    }

    func testANameOrRepositoryPathFindsTheEmbeddedCopyFromAnyFolder() throws {
        let folder = try TemporaryFolder.forTest(self)
        for argument in ["ingest", "pipelines/ingest.yaml"] {
            let resolved = try ShippedFiles.resolve(argument, kind: .pipeline, relativeTo: folder)
            guard case .embedded(let file) = resolved.origin else { return XCTFail("\(argument): \(resolved.origin)") }
            XCTAssertEqual(file.path, "pipelines/ingest.yaml")
            XCTAssertTrue(resolved.usedLine.contains("embedded"), resolved.usedLine)
            XCTAssertEqual(resolved.source, "pipelines/ingest.yaml (embedded)")
        }
        let taxonomy = try ShippedFiles.resolve("asc10", kind: .taxonomy, relativeTo: folder)
        XCTAssertEqual(taxonomy.text, try String(contentsOf: Repository.url("manifests/taxonomies/asc10.yaml"), encoding: .utf8))
    }

    func testAMissingArgumentSaysWhatWasLookedFor() throws {
        let folder = try TemporaryFolder.forTest(self)
        XCTAssertThrowsError(try ShippedFiles.resolve("ingset", kind: .pipeline, relativeTo: folder)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains(folder.appendingPathComponent("ingset").path), message)
            XCTAssertTrue(message.contains("ds-flexinet, estm-dcase2020t2"), message)
            XCTAssertTrue(message.hasPrefix("pipeline 'ingset' not found"), message)
        }
        // A folder is not a pipeline file, and another kind's name is not found either.
        XCTAssertThrowsError(try ShippedFiles.resolve(".", kind: .pipeline, relativeTo: folder))
        XCTAssertThrowsError(try ShippedFiles.resolve("ingest", kind: .taxonomy, relativeTo: folder))
    }
}
