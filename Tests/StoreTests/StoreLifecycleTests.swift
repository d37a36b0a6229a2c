import Foundation
import Labels
import Store
import TestSupport
import XCTest

/// The store's lifecycle on disk: prepare, commit, lock, resume by checksum, finalize, verify, and
/// views that know their parents. Each test reproduces a hole of issue 6 that the old layout had.
final class StoreLifecycleTests: XCTestCase {
    /// A plan of `shards` shards of `rowsPerShard` rows of `StoreTestSupport.row`.
    private func plan(configHash: String = "config-one", shards: Int = 3, rowsPerShard: Int = 2) -> StorePlan {
        StorePlan(pipeline: "test", configHash: configHash, createdBy: "StoreLifecycleTests",
                  libraries: LibraryVersions.current(), parameters: ["seed": 1], columns: StoreTestSupport.schema,
                  classes: ["airport", "bus", "park"],
                  shards: (0..<shards).map { shard in
                      StorePlan.Shard(name: String(format: "part-%05d", shard),
                                      rows: (0..<rowsPerShard).map { PlannedRow(id: "clip-\(shard * rowsPerShard + $0)") })
                  })
    }

    private func rows(of shard: Int, rowsPerShard: Int = 2, offset: Int = 0) -> [ShardRow] {
        (0..<rowsPerShard).map { StoreTestSupport.row(shard * rowsPerShard + $0 + offset) }
    }

    /// Prepares `root` and commits every shard of `plan` (rows shifted by `offset`), then finalizes.
    @discardableResult
    private func makeStore(at root: URL, plan: StorePlan, offset: Int = 0, overwrite: Bool = false) throws -> StoreFolder {
        let folder = try StoreFolder.prepare(at: root, plan: plan, overwrite: overwrite)
        for (index, shard) in plan.shards.enumerated() {
            try folder.commitShard(shard, rows: rows(of: index, rowsPerShard: shard.rows.count, offset: offset),
                                   counts: [ClassCount(corpus: "x", label: "airport", split: "train", count: shard.rows.count)],
                                   rejected: [])
        }
        try Data("{\"id\": \"clip-0\"}\n".utf8).write(to: folder.layout.catalogURL)
        try folder.finalize()
        return folder
    }

    func testFinalizeChecksEveryPlannedShardAndNamesWhatIsMissingOrCorrupt() throws {
        let root = try TemporaryFolder.forTest(self).appendingPathComponent("store")
        let plan = self.plan()
        let folder = try StoreFolder.prepare(at: root, plan: plan, overwrite: false)
        // Another process finalizes from the folder alone: plan.json is there from the start.
        XCTAssertEqual(try StorePlan.load(from: root.appendingPathComponent("plan.json")), plan)
        for index in [0, 2] {
            try folder.commitShard(plan.shards[index], rows: rows(of: index), counts: [], rejected: [])
        }
        XCTAssertThrowsError(try StoreFolder.finalize(at: root)) { error in
            XCTAssertTrue("\(error)".contains("part-00001: missing"), "\(error)")
            XCTAssertFalse("\(error)".contains("part-00000"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.layout.manifestURL.path))

        try folder.commitShard(plan.shards[1], rows: rows(of: 1), counts: [
            ClassCount(corpus: "x", label: "bus", split: "test", count: 2),
        ], rejected: [])
        let shard = folder.layout.shardURL("part-00002")
        let good = try Data(contentsOf: shard)
        var bad = good
        bad[bad.count / 2] ^= 0x01
        try bad.write(to: shard)
        XCTAssertThrowsError(try StoreFolder.finalize(at: root)) { error in
            XCTAssertTrue("\(error)".contains("part-00002") && "\(error)".contains("checksum mismatch"), "\(error)")
        }
        try good.write(to: shard)
        let manifest = try StoreFolder.finalize(at: root)
        XCTAssertEqual(manifest.rowCount, 6)
        XCTAssertEqual(manifest.counts, [ClassCount(corpus: "x", label: "bus", split: "test", count: 2)])
        // The plan, then the reports and the card finalize writes from the complete store.
        XCTAssertEqual(manifest.files?.map(\.file), ["plan.json", "reports/rejected.csv", "README.md"])
        let reader = try StoreReader(manifest: root)
        XCTAssertEqual(try reader.readStrings("meta/id"), (0..<6).map { "clip-\($0)" })
        XCTAssertTrue(reader.verify().isValid, "\(reader.verify().failures)")
    }

    /// Resume keeps a shard only if its bytes hash to its sidecar's SHA-256: a flipped byte (same size)
    /// or a missing sidecar means the shard is computed again.
    func testCompletedShardComparesChecksumsNotSizes() throws {
        let root = try TemporaryFolder.forTest(self).appendingPathComponent("store")
        let plan = self.plan()
        let folder = try makeStore(at: root, plan: plan)
        XCTAssertNotNil(folder.completedShard(plan.shards[0]))
        let shard = folder.layout.shardURL("part-00000")
        let good = try Data(contentsOf: shard)
        var bad = good
        bad[bad.count - 100] ^= 0x40
        try bad.write(to: shard)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: shard.path)[.size] as? Int, good.count)
        XCTAssertNil(folder.completedShard(plan.shards[0]), "a same-size damaged shard must not be kept")
        try good.write(to: shard)
        XCTAssertNotNil(folder.completedShard(plan.shards[0]))
        try FileManager.default.removeItem(at: folder.layout.sidecarURL("part-00000"))
        XCTAssertNil(folder.completedShard(plan.shards[0]), "a shard without its sidecar must be computed again")
        // Other planned rows: not the shard the plan asks for.
        var moved = plan.shards[1]
        moved.rows.reverse()
        XCTAssertNotNil(folder.completedShard(plan.shards[1]))
        XCTAssertNil(folder.completedShard(moved))
    }

    /// Two writers of one shard name never share a temporary file, and dropping one leaves the
    /// other's alone (the old `<name>.h5.tmp` was deleted by whichever process started next).
    func testTemporaryFilesArePerWriter() throws {
        let dir = try TemporaryFolder.forTest(self)
        let first = try ShardWriter(directory: dir, name: "part-00000", schema: StoreTestSupport.schema, rowCount: 1)
        XCTAssertTrue(first.temporaryURL.lastPathComponent.contains(WriterToken.current), first.temporaryURL.path)
        do {
            let second = try ShardWriter(directory: dir, name: "part-00000", schema: StoreTestSupport.schema, rowCount: 1)
            XCTAssertNotEqual(first.temporaryURL, second.temporaryURL)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.temporaryURL.path))
        try first.write(row: StoreTestSupport.row(0), at: 0)
        try first.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["part-00000.h5", "part-00000.json"])
    }

    func testShardLockRefusesASecondWriterAndIsReleased() throws {
        let root = try TemporaryFolder.forTest(self)
        let folder = try StoreFolder.prepare(at: root, plan: plan(), overwrite: false)
        let held = try folder.lock(["part-00000", "part-00001"])
        XCTAssertThrowsError(try folder.lock(["part-00002", "part-00001"])) { error in
            guard case let StoreError.locked(path, holder)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("shards/part-00001.lock"), path)
            XCTAssertTrue(holder.contains("pid \(ProcessInfo.processInfo.processIdentifier)"), holder)
            XCTAssertTrue("\(error)".contains("cannot share a store folder"), "\(error)")
        }
        // The refused call holds nothing: part-00002 is free.
        XCTAssertEqual(try folder.lock(["part-00002"]).count, 1)
        held.forEach { $0.release() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.layout.lockURL("part-00000").path))
        XCTAssertEqual(try folder.lock(["part-00000", "part-00001"]).count, 2)
    }

    /// A lock is held across processes: a child process's `flock` on the same file is refused while
    /// this process holds it, and the kernel releases a lock whose holder is gone.
    func testShardLockIsSeenByAnotherProcess() throws {
        let flock = "/usr/bin/flock"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: flock), "util-linux flock is not installed")
        let root = try TemporaryFolder.forTest(self)
        let folder = try StoreFolder.prepare(at: root, plan: plan(), overwrite: false)
        var held = try folder.lock(["part-00000"])
        let path = folder.layout.lockURL("part-00000").path
        XCTAssertEqual(try ProcessRunner.run(URL(fileURLWithPath: flock), ["-n", path, "true"]).status, 1)
        held.removeAll()
        XCTAssertEqual(try ProcessRunner.run(URL(fileURLWithPath: flock), ["-n", path, "true"]).status, 0)
    }

    func testEditedManifestOrCatalogFailsOpenAndVerify() throws {
        let root = try TemporaryFolder.forTest(self).appendingPathComponent("store")
        try makeStore(at: root, plan: plan())
        XCTAssertTrue(try StoreReader(manifest: root).verify().isValid)

        // Catalog: verify names it.
        let catalog = root.appendingPathComponent("catalog.jsonl")
        let catalogBytes = try Data(contentsOf: catalog)
        try Data("{\"id\": \"clip-9\"}\n".utf8).write(to: catalog)
        let report = try StoreReader(manifest: root).verify()
        XCTAssertEqual(report.failures.map(\.path), [catalog.path])
        try catalogBytes.write(to: catalog)
        // A deleted sidecar is reported by name.
        let sidecar = root.appendingPathComponent("shards/part-00001.json")
        let sidecarBytes = try Data(contentsOf: sidecar)
        try FileManager.default.removeItem(at: sidecar)
        XCTAssertEqual(try StoreReader(manifest: root).verify().failures.map(\.path), [sidecar.path])
        try sidecarBytes.write(to: sidecar)

        // One class name edited by one byte: the manifest no longer matches its checksum.
        let url = root.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("\"airport\""))
        try text.replacingOccurrences(of: "\"airport\"", with: "\"airporu\"").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StoreReader(manifest: root)) { error in
            XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains("checksum mismatch"), "\(error)")
        }
    }

    func testPrepareRefusesWhatItMustNotReplaceAndOverwriteKeepsForeignFiles() throws {
        let base = try TemporaryFolder.forTest(self)
        let fm = FileManager.default

        // An empty folder is fine.
        let empty = base.appendingPathComponent("empty")
        try fm.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertNoThrow(try StoreFolder.prepare(at: empty, plan: plan(), overwrite: false))

        // A folder of someone else's files: refused, untouched; --overwrite writes beside them.
        let papers = base.appendingPathComponent("papers")
        try fm.createDirectory(at: papers, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: papers.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try StoreFolder.prepare(at: papers, plan: plan(), overwrite: false)) { error in
            XCTAssertTrue("\(error)".contains("notes.txt") && "\(error)".contains("--overwrite"), "\(error)")
        }
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: papers.path), ["notes.txt"])
        // A README.md or reports/ of someone's project is theirs too (a store writes its card there).
        let project = base.appendingPathComponent("project")
        try fm.createDirectory(at: project.appendingPathComponent("reports"), withIntermediateDirectories: true)
        try Data("# mine".utf8).write(to: project.appendingPathComponent("README.md"))
        XCTAssertThrowsError(try StoreFolder.prepare(at: project, plan: plan(), overwrite: false)) { error in
            XCTAssertTrue("\(error)".contains("README.md"), "\(error)")
        }

        // A store of another config: refused before anything is touched.
        let store = base.appendingPathComponent("store")
        try makeStore(at: store, plan: plan(configHash: "seed-0"))
        let before = try fm.subpathsOfDirectory(atPath: store.path).sorted()
        XCTAssertThrowsError(try StoreFolder.prepare(at: store, plan: plan(configHash: "seed-1"), overwrite: false)) { error in
            XCTAssertTrue("\(error)".contains("another configuration"), "\(error)")
        }
        XCTAssertEqual(try fm.subpathsOfDirectory(atPath: store.path).sorted(), before)
        XCTAssertNoThrow(try StoreReader(manifest: store))

        // The same config resumes: completed shards are kept.
        let same = try StoreFolder.prepare(at: store, plan: plan(configHash: "seed-0"), overwrite: false)
        XCTAssertNotNil(same.completedShard(same.plan.shards[2]))

        // --overwrite replaces the store's own files, never a file it did not write.
        let stray = store.appendingPathComponent("shards/README-mine.txt")
        try Data("mine".utf8).write(to: stray)
        XCTAssertThrowsError(try StoreFolder.prepare(at: store, plan: plan(configHash: "seed-0"), overwrite: false))
        let smaller = plan(configHash: "seed-1", shards: 1)
        let replaced = try StoreFolder.prepare(at: store, plan: smaller, overwrite: true)
        XCTAssertTrue(fm.fileExists(atPath: stray.path))
        XCTAssertFalse(fm.fileExists(atPath: store.appendingPathComponent("manifest.json").path))
        XCTAssertFalse(fm.fileExists(atPath: store.appendingPathComponent("shards/part-00002.h5").path))
        try replaced.commitShard(smaller.shards[0], rows: rows(of: 0), counts: [], rejected: [])
        try replaced.finalize()
        XCTAssertTrue(try StoreReader(manifest: store).verify().isValid)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: store.appendingPathComponent("shards").path).sorted(),
                       ["README-mine.txt", "part-00000.h5", "part-00000.json"])

        // A view is not a store, and a store is not a view.
        let view = base.appendingPathComponent("view")
        let writer = try ViewWriter(parent: try StoreReader(manifest: store), directory: view, stage: "v",
                                    configHash: "v1", rows: [0], columns: [ColumnSpec(name: "meta/flag", dtype: .int32)])
        try writer.append(["meta/flag": .int32(1)])
        try writer.commit()
        XCTAssertThrowsError(try StoreFolder.prepare(at: view, plan: plan(), overwrite: false)) { error in
            XCTAssertTrue("\(error)".contains("holds a view"), "\(error)")
        }
        let other = base.appendingPathComponent("other")
        try makeStore(at: other, plan: plan(configHash: "other"))
        XCTAssertThrowsError(try ViewWriter(parent: try StoreReader(manifest: store), directory: other, stage: "v",
                                            configHash: "v1", rows: [0], columns: [ColumnSpec(name: "meta/flag", dtype: .int32)])) { error in
            XCTAssertTrue("\(error)".contains("holds a store"), "\(error)")
        }
    }

    /// A view of a view of a store; the store is rebuilt with another seed: opening either view is an
    /// error naming the store, and so is a rebuild with the same config hash but other rows.
    func testStaleViewsAreErrorsNamingTheAncestorThatChanged() throws {
        let base = try TemporaryFolder.forTest(self)
        let store = base.appendingPathComponent("store")
        try makeStore(at: store, plan: plan(configHash: "seed-0"))
        let first = base.appendingPathComponent("first")
        let second = base.appendingPathComponent("second")
        let flag = [ColumnSpec(name: "meta/flag", dtype: .int32)]
        let a = try ViewWriter(parent: try StoreReader(manifest: store), directory: first, stage: "a",
                               configHash: "a", rows: [1, 2, 5], columns: flag)
        for value in [10, 20, 50] { try a.append(["meta/flag": .int32(Int32(value))]) }
        try a.commit()
        let b = try ViewWriter(parent: try StoreReader(manifest: first), directory: second, stage: "b",
                               configHash: "b", rows: [0, 2], columns: [ColumnSpec(name: "meta/other", dtype: .int32)])
        for value in [1, 2] { try b.append(["meta/other": .int32(Int32(value))]) }
        try b.commit()
        XCTAssertEqual(try StoreReader(manifest: second).readStrings("meta/id"), ["clip-1", "clip-5"])

        try makeStore(at: store, plan: plan(configHash: "seed-1"), offset: 1, overwrite: true)
        let storeManifest = store.appendingPathComponent("manifest.json").standardizedFileURL.path
        for view in [first, second] {
            XCTAssertThrowsError(try StoreReader(manifest: view)) { error in
                guard case let StoreError.staleView(path, ancestor, reason)? = error as? StoreError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, view.appendingPathComponent("manifest.json").standardizedFileURL.path)
                XCTAssertEqual(ancestor, storeManifest)
                XCTAssertTrue(reason.contains("config hash"), reason)
            }
        }
        // Same config hash, other content (a store rebuilt from another catalog, say).
        try makeStore(at: store, plan: plan(configHash: "seed-0", shards: 2), overwrite: true)
        XCTAssertThrowsError(try StoreReader(manifest: second)) { error in
            XCTAssertTrue("\(error)".contains("stale view") && "\(error)".contains(storeManifest), "\(error)")
        }
        // The original store again: the views are valid again.
        try makeStore(at: store, plan: plan(configHash: "seed-0"), overwrite: true)
        XCTAssertEqual(try StoreReader(manifest: second).readInt32("meta/flag"), [10, 50])
    }

    /// Rewriting a view in place and stopping half-way leaves the old view whole: its manifest still
    /// names its own, untouched column files. Committing the new view removes the old files.
    func testInterruptedViewRewriteLeavesTheOldViewIntact() throws {
        let base = try TemporaryFolder.forTest(self)
        let store = base.appendingPathComponent("store")
        try makeStore(at: store, plan: plan())
        let parent = try StoreReader(manifest: store)
        let view = base.appendingPathComponent("view")
        let flag = [ColumnSpec(name: "meta/flag", dtype: .int32)]
        let rows = [0, 1, 2, 3, 4]   // spans all three shards
        let old = try ViewWriter(parent: parent, directory: view, stage: "s", configHash: "old", rows: rows, columns: flag)
        for row in rows { try old.append(["meta/flag": .int32(Int32(row))]) }
        try old.commit()
        let oldFiles = try Manifest.load(from: view).columnFiles?.map(\.file) ?? []

        XCTAssertThrowsError(try ViewWriter(parent: parent, directory: view, stage: "s", configHash: "new", rows: rows, columns: flag))
        do {
            let new = try ViewWriter(parent: parent, directory: view, stage: "s", configHash: "new", rows: rows,
                                     columns: flag, overwrite: true)
            // Segments 0 and 1 complete (committed), segment 2 half-written, then the run dies.
            for row in rows.prefix(4) { try new.append(["meta/flag": .int32(Int32(100 + row))]) }
        }
        let reader = try StoreReader(manifest: view)
        XCTAssertEqual(try reader.readInt32("meta/flag"), [0, 1, 2, 3, 4])
        XCTAssertTrue(reader.verify().isValid, "\(reader.verify().failures)")

        let new = try ViewWriter(parent: parent, directory: view, stage: "s", configHash: "new", rows: rows,
                                 columns: flag, overwrite: true)
        for row in rows { try new.append(["meta/flag": .int32(Int32(100 + row))]) }
        let manifest = try new.commit()
        XCTAssertEqual(try StoreReader(manifest: view).readInt32("meta/flag"), [100, 101, 102, 103, 104])
        let files = try FileManager.default.subpathsOfDirectory(atPath: view.appendingPathComponent("columns").path)
        XCTAssertEqual(Set(files.map { "columns/" + $0 }),
                       Set((manifest.columnFiles ?? []).flatMap { [$0.file, String($0.file.dropLast(3)) + ".json"] }))
        XCTAssertTrue(Set(oldFiles).isDisjoint(with: files.map { "columns/" + $0 }))
    }

    /// `pipe labels merge --out` follows the same rule: a store there is refused, and the same view
    /// again is rewritten in place.
    func testLabelMergeRefusesAStoreAsItsOutput() throws {
        let base = try TemporaryFolder.forTest(self)
        let store = base.appendingPathComponent("store")
        let other = base.appendingPathComponent("other")
        try makeStore(at: store, plan: plan())
        try makeStore(at: other, plan: plan(configHash: "other"))
        let taxonomy = try Taxonomy.load(from: Repository.url("manifests/taxonomies/asc10.yaml"))
        XCTAssertThrowsError(try LabelMerge.run(store: store, taxonomy: taxonomy, out: other)) { error in
            XCTAssertTrue("\(error)".contains("holds a store"), "\(error)")
        }
        XCTAssertTrue(try StoreReader(manifest: other).verify().isValid)
    }
}
