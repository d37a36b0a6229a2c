import Foundation
import TestSupport
import XCTest

/// The manifest of a tiny synthetic CochlScene store made by the shipped `ingest` pipeline,
/// compared with the committed Snapshots/manifest-ingest.json, so any change in what a manifest
/// records (a parameter, a column, its dtype or shape, a class, a count, a shard's rows, a report
/// file) is a visible diff in review rather than a surprise for readers of old stores.
///
/// Only what legitimately varies by machine or run is replaced by a placeholder before comparing:
/// digests and byte sizes (`sha256`, `bytes`, the manifest's `checksum`: HDF5 and library versions
/// change the bytes, not the meaning), the library versions, `createdBy` (the tool's version),
/// timestamps and host names should a manifest ever record them, and absolute paths.
///
/// To regenerate after an intended change: `swift build --build-tests && RECORD_SNAPSHOTS=1 swift test
/// --skip-build --filter ManifestSnapshotTests`, then review `git diff Tests/PipelineTests/Snapshots`.
final class ManifestSnapshotTests: XCTestCase {
    static let snapshot = Repository.url("Tests/PipelineTests/Snapshots/manifest-ingest.json")

    /// Keys whose values depend on the machine, the libraries or the moment (compared lowercased).
    static let varyingKeys: Set<String> = ["sha256", "bytes", "checksum", "createdby", "createdat", "created",
                                           "timestamp", "host", "hostname"]

    /// `value` with every machine- or run-dependent value replaced by `<key>`; `libraries` keeps
    /// its keys (which libraries are recorded) and loses their versions.
    static func masked(_ value: Any, key: String? = nil) -> Any {
        if let key, varyingKeys.contains(key.lowercased()) { return "<\(key)>" }
        switch value {
        case let object as [String: Any]:
            if key == "libraries" { return object.mapValues { _ in "<version>" } }
            return Dictionary(uniqueKeysWithValues: object.map { ($0.key, masked($0.value, key: $0.key)) })
        case let array as [Any]:
            return array.map { masked($0) }
        case let string as String where string.hasPrefix("/"):
            return "<absolute path>"
        default:
            return value
        }
    }

    func testTheIngestManifestMatchesTheSnapshot() throws {
        let folder = try TemporaryFolder.forTest(self)
        let synth = try ProcessRunner.pipe(["synth", "cochlscene", "--out", "data", "--per-class", "1", "--duration", "6"],
                                           in: folder)
        XCTAssertEqual(synth.status, 0, synth.err)
        let ingest = try ProcessRunner.pipe(["ingest", "cochlscene", "--pipeline", "ingest", "--data", "data",
                                             "--out", "store", "--progress", "none"], in: folder)
        XCTAssertEqual(ingest.status, 0, ingest.err)

        let data = try Data(contentsOf: folder.appendingPathComponent("store/manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: Self.masked(manifest),
                                                               options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
                          as: UTF8.self) + "\n"
        // The placeholders hide digests and sizes, never what the store holds.
        XCTAssertTrue(text.contains("\"rowCount\" : 39"), text)
        XCTAssertTrue(text.contains("\"rows\" : 39"), text)

        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(text.utf8).write(to: Self.snapshot)
            return
        }
        let expected = try String(contentsOf: Self.snapshot, encoding: .utf8)
        if text != expected {
            let mine = text.split(separator: "\n", omittingEmptySubsequences: false)
            let theirs = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(mine, theirs).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = first.map { "line \($0.offset + 1): got '\($0.element.0)', snapshot '\($0.element.1)'" }
                ?? "lengths differ (\(mine.count) vs \(theirs.count) lines)"
            XCTFail("manifest.json differs from Snapshots/manifest-ingest.json at \(where_) "
                    + "(regenerate: see ManifestSnapshotTests' doc comment)")
        }
    }
}
