import Foundation
import Store
import TestSupport
import XCTest

/// A shard is read only after its bytes match the recorded SHA-256 and its datasets the recorded
/// schema; HDF5's failures come back as `StoreError.hdf5` with HDF5's own messages, and HDF5 prints
/// nothing to stderr.
final class ShardVerificationTests: XCTestCase {
    func testVerifiedOpenReadsAnIntactShard() throws {
        let directory = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: directory, rows: 6)
        let reader = try ShardReader(url: directory.appendingPathComponent(info.file), verifying: info,
                                     columns: StoreTestSupport.schema)
        XCTAssertEqual(reader.rowCount, 6)
        XCTAssertEqual(try reader.readStrings("meta/id"), (0..<6).map { "clip-\($0)" })
    }

    func testOneChangedByteIsRefusedBeforeHDF5ReadsIt() throws {
        let directory = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: directory, rows: 6)
        let url = directory.appendingPathComponent(info.file)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: url)
        XCTAssertThrowsError(try ShardReader(url: url, verifying: info, columns: StoreTestSupport.schema)) { error in
            guard case let StoreError.checksumMismatch(path, expected, _) = error else {
                return XCTFail("expected a checksum mismatch, got \(error)")
            }
            XCTAssertEqual(path, url.standardizedFileURL.path)
            XCTAssertEqual(expected, info.sha256)
        }
        // A file of another size is refused on its size.
        try bytes.prefix(bytes.count - 1).write(to: url)
        XCTAssertThrowsError(try ShardReader(url: url, verifying: info, columns: nil)) { error in
            XCTAssertTrue("\(error)".contains("\(info.bytes) bytes"), "\(error)")
        }
    }

    /// The cache remembers a verified file only while it is unchanged: a rewrite after a successful
    /// open is caught by the next open.
    func testAFileChangedAfterVerificationIsHashedAgain() throws {
        let directory = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: directory, rows: 4)
        let url = directory.appendingPathComponent(info.file)
        _ = try ShardReader(url: url, verifying: info, columns: nil)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 1] ^= 0x80
        let replacement = directory.appendingPathComponent("replacement")
        try bytes.write(to: replacement)
        XCTAssertEqual(rename(replacement.path, url.path), 0)
        XCTAssertThrowsError(try ShardReader(url: url, verifying: info, columns: nil))
    }

    /// A same-size rewrite in place right after a verified open (same inode, a file time that may not
    /// have ticked) is still caught: a freshly modified file is never trusted from memory.
    func testAnInPlaceRewriteRightAfterVerificationIsCaught() throws {
        let directory = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: directory, rows: 4)
        let url = directory.appendingPathComponent(info.file)
        for trial in 0..<20 {
            _ = try ShardReader(url: url, verifying: info, columns: nil)
            let handle = try FileHandle(forUpdating: url)
            try handle.seek(toOffset: UInt64(info.bytes / 2))
            let original = try XCTUnwrap(try handle.read(upToCount: 1))
            try handle.seek(toOffset: UInt64(info.bytes / 2))
            try handle.write(contentsOf: Data([original[0] ^ 0x01]))
            try handle.close()
            XCTAssertThrowsError(try ShardReader(url: url, verifying: info, columns: nil), "trial \(trial)")
            let restore = try FileHandle(forUpdating: url)
            try restore.seek(toOffset: UInt64(info.bytes / 2))
            try restore.write(contentsOf: original)
            try restore.close()
        }
    }

    /// A file whose checksum matches but whose datasets are not the schema's (an older or foreign
    /// writer): refused before any array is sized from it.
    func testDatasetsAreCheckedAgainstTheSchema() throws {
        let directory = try TemporaryFolder.forTest(self)
        let info = try StoreTestSupport.writeShard(in: directory, rows: 6)
        let url = directory.appendingPathComponent(info.file)
        var schema = StoreTestSupport.schema
        let cases: [(String, [ColumnSpec], ShardInfo, String)] = [
            ("shape", schema.map { $0.name == "features/logmel" ? ColumnSpec(name: $0.name, dtype: .float32, rowShape: [2, 3, 5]) : $0 },
             info, "features/logmel"),
            ("rank", schema.map { $0.name == "targets/teacher" ? ColumnSpec(name: $0.name, dtype: .float32, rowShape: [5, 1]) : $0 },
             info, "rank"),
            ("dtype", schema.map { $0.name == "meta/label" ? ColumnSpec(name: $0.name, dtype: .int64) : $0 }, info, "meta/label"),
            ("missing", schema + [ColumnSpec(name: "meta/extra", dtype: .int32)], info, "meta/extra"),
            ("extra", schema.filter { $0.name != "meta/city" }, info, "meta/city"),
            ("rows", schema, ShardInfo(file: info.file, rows: 7, sha256: info.sha256, bytes: info.bytes), "manifest says 7"),
        ]
        for (label, columns, expected, named) in cases {
            XCTAssertThrowsError(try ShardReader(url: url, verifying: expected, columns: columns), label) { error in
                guard case let StoreError.schema(path, reason) = error else { return XCTFail("\(label): \(error)") }
                XCTAssertEqual(path, url.path, label)
                XCTAssertTrue(reason.contains(named), "\(label): \(reason)")
            }
        }
        schema.reverse()
        XCTAssertNoThrow(try ShardReader(url: url, verifying: info, columns: schema), "column order does not matter")
    }

    /// HDF5's error stack becomes the error's reason (naming the call and the file); with automatic
    /// printing off, nothing reaches stderr.
    func testHDF5ErrorsComeBackAsStoreErrorsNotStderr() throws {
        let directory = try TemporaryFolder.forTest(self)
        let url = directory.appendingPathComponent("not-hdf5.h5")
        try Data(repeating: 0x41, count: 4096).write(to: url)
        var thrown: Error?
        let printed = try capturingStandardError {
            do { _ = try ShardReader(url: url) } catch { thrown = error }
        }
        guard case let StoreError.hdf5(call, path, reason)? = thrown else {
            return XCTFail("expected StoreError.hdf5, got \(String(describing: thrown))")
        }
        XCTAssertEqual(call, "H5Fopen")
        XCTAssertEqual(path, url.path)
        XCTAssertTrue(reason.contains("H5Fopen"), reason)
        XCTAssertTrue(reason.contains("signature"), "HDF5's own message is in the reason: \(reason)")
        XCTAssertFalse(reason.contains("\n"), "one line per record: \(reason)")
        XCTAssertEqual(printed, "", "HDF5 printed to stderr")
    }

    /// Runs `body` with file descriptor 2 sent to a file, and returns what was written there.
    private func capturingStandardError(_ body: () throws -> Void) throws -> String {
        let directory = try TemporaryFolder.forTest(self)
        let capture = directory.appendingPathComponent("stderr")
        XCTAssertTrue(FileManager.default.createFile(atPath: capture.path, contents: nil))
        let handle = try FileHandle(forWritingTo: capture)
        fflush(stderr)
        let saved = dup(2)
        dup2(handle.fileDescriptor, 2)
        defer {
            fflush(stderr)
            dup2(saved, 2)
            close(saved)
            try? handle.close()
        }
        try body()
        fflush(stderr)
        return try String(contentsOf: capture, encoding: .utf8)
    }
}
