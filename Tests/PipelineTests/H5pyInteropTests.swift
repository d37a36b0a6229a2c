import Foundation
import Pipeline
import TestSupport
import XCTest

/// Debian's python3-h5py opens every shard of a store and reads every column, with no custom filter.
final class H5pyInteropTests: XCTestCase {
    func testH5pyReadsEveryColumnOfEveryShard() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("no /usr/bin/python3") }
        let fixture = try PipelineFixture(corpora: ["cas2023"], perClass: 1)
        defer { fixture.remove() }
        let result = try Ingest.run(Ingest.Request(config: try PipelineFixture.config(corpora: ["cas2023"]),
                                                   dataRoot: fixture.data, output: fixture.url("store"), progress: .silent))
        let script = """
        import glob, json, sys
        import h5py, numpy as np
        store = sys.argv[1]
        manifest = json.load(open(store + "/manifest.json"))
        total = 0
        for shard in manifest["shards"]:
            with h5py.File(store + "/" + shard["file"], "r") as f:
                n = f["meta/id"].shape[0]
                assert n == shard["rows"], (n, shard)
                for col in manifest["columns"]:
                    d = f[col["name"]]
                    assert d.shape == tuple([n] + col["rowShape"]), (col, d.shape)
                    v = d[...]
                    if col["dtype"] == "float32":
                        assert d.dtype == np.float32 and np.isfinite(v).all()
                    if col["dtype"] == "string":
                        s = d.asstr()[...]
                        assert all(isinstance(x, str) for x in s)
                assert f.attrs["pipeline"] in (b"ingest", "ingest")
                ids = f["meta/id"].asstr()[...]
                assert all(i.startswith("cas2023/") for i in ids), ids[:3]
                labels = f["meta/label"][...]
                assert labels.dtype == np.int32 and labels.min() >= -1
                total += n
        print(total)
        """
        let run = try ProcessRunner.run(URL(fileURLWithPath: python), ["-c", script, fixture.url("store").path])
        if run.err.contains("No module named 'h5py'") { throw XCTSkip("python3-h5py not installed") }
        XCTAssertEqual(run.status, 0, run.out + run.err)
        XCTAssertEqual(run.out.trimmingCharacters(in: .whitespacesAndNewlines), String(result.rows))
    }
}
