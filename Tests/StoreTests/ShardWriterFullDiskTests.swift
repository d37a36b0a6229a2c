import Foundation
import Store
import TestSupport
import XCTest

/// A shard write that runs out of space (here RLIMIT_FSIZE, with SIGXFSZ ignored so the write fails
/// with EFBIG) throws an error naming the file and the reason, leaves no temporary file, and leaves
/// HDF5 usable: the same process then writes and reads another shard.
final class ShardWriterFullDiskTests: XCTestCase {
    /// Strings first: the datasets are created and the row writes fail (`H5Dwrite`).
    func testAFailedRowWriteNamesTheFileAndTheProcessGoesOn() throws {
        try failedWrite(schema: [ColumnSpec(name: "meta/id", dtype: .string),
                                 ColumnSpec(name: "features/x", dtype: .float32, rowShape: [64, 64])])
    }

    /// Features first: their early allocation moves the end of the file past the limit, so creating
    /// the string dataset (whose fill values are written) fails in the writer's initializer.
    func testAFailedCreateNamesTheFileAndTheProcessGoesOn() throws {
        try failedWrite(schema: [ColumnSpec(name: "features/x", dtype: .float32, rowShape: [64, 64]),
                                 ColumnSpec(name: "meta/id", dtype: .string)])
    }

    private func failedWrite(schema big: [ColumnSpec]) throws {
        let directory = try TemporaryFolder.forTest(self)
        let previous = signal(SIGXFSZ, SIG_IGN)
        var saved = rlimit()
        XCTAssertEqual(getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved), 0)
        var limited = saved
        limited.rlim_cur = 64 * 1024
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited), 0)
        var thrown: Error?
        var temporary = ""
        do {
            let writer = try ShardWriter(directory: directory, name: "part-00000", schema: big, rowCount: 32)
            temporary = writer.temporaryURL.path
            for i in 0..<32 {
                try writer.write(row: ["features/x": .float32([Float](repeating: Float(i), count: 64 * 64)),
                                       "meta/id": .string("clip-\(i)")], at: i)
            }
            try writer.commit()
        } catch {
            thrown = error
        }
        print("\(big.map(\.name)): \(String(describing: thrown).prefix(60))…")
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved), 0)
        signal(SIGXFSZ, previous)

        let error = try XCTUnwrap(thrown, "32 rows of 16 KiB fitted in a 64 KiB file limit")
        // The writer's temporary file (early chunk allocation may already fail in its initializer).
        XCTAssertTrue("\(error)".contains(directory.appendingPathComponent("part-00000.h5.").path), "\(error)")
        XCTAssertTrue("\(error)".contains("File too large"), "\(error)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(left, [], "a failed writer left files behind")
        if !temporary.isEmpty { XCTAssertFalse(FileManager.default.fileExists(atPath: temporary)) }

        let info = try StoreTestSupport.writeShard(in: directory, name: "part-00001", rows: 3)
        let reader = try ShardReader(url: directory.appendingPathComponent(info.file), verifying: info,
                                     columns: StoreTestSupport.schema)
        XCTAssertEqual(try reader.readStrings("meta/id"), ["clip-0", "clip-1", "clip-2"])
    }
}
