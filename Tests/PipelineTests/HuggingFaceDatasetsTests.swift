import Foundation
import Labels
import Pipeline
import Store
import TestSupport
import XCTest

/// `datasets.load_dataset(STORE)` (Hugging Face, HDF5 builder) loads a store through its dataset
/// card, in the manifest's row order, and a view's own columns. Runs when the `python3` on PATH
/// imports `datasets` and `h5py` (`pip install datasets h5py`); skipped with a message otherwise.
final class HuggingFaceDatasetsTests: XCTestCase {
    private static let script = """
    import json, os, sys
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    from datasets import load_dataset
    out = {}
    for key, path in (("store", sys.argv[1]), ("view", sys.argv[2])):
        ds = load_dataset(path, split="rows", cache_dir=sys.argv[3])
        meta = list(ds["meta"])
        out[key] = {"len": len(ds), "labels": [m["label"] for m in meta], "ids": [m.get("id") for m in meta]}
        if key == "store":
            import numpy as np
            first = ds[0]
            out[key]["feature"] = np.asarray(first["features"]["logmel64"], dtype=np.float64).reshape(-1).tolist()
            out[key]["split"] = [m["split"] for m in meta]
    print(json.dumps(out))
    """

    private struct Loaded: Decodable {
        struct Table: Decodable { var len: Int; var labels: [Int]; var ids: [String?]; var feature: [Double]?; var split: [String]? }
        var store: Table
        var view: Table
    }

    func testLoadDatasetReadsTheStoreAndTheViewColumns() throws {
        let python = "/usr/bin/env"
        let probe = try ProcessRunner.run(URL(fileURLWithPath: python), ["python3", "-c", "import datasets, h5py; print(datasets.__version__)"])
        if probe.status != 0 {
            throw XCTSkip("python3 has no Hugging Face datasets (pip install datasets h5py): \(probe.err.suffix(200))")
        }
        let fixture = try PipelineFixture(corpora: ["cochlscene", "cas2023"], perClass: 1)
        defer { fixture.remove() }
        let result = try Ingest.run(Ingest.Request(config: try PipelineFixture.config(corpora: ["cochlscene", "cas2023"]),
                                                   dataRoot: fixture.data, output: fixture.url("store"), progress: .silent))
        let taxonomy = try Taxonomy.load(from: Repository.url("manifests/taxonomies/asc10.yaml"))
        _ = try LabelMerge.run(store: fixture.url("store"), taxonomy: taxonomy, out: fixture.url("view"))

        let run = try ProcessRunner.run(URL(fileURLWithPath: python), ["python3", "-B", "-c", Self.script, fixture.url("store").path,
                                        fixture.url("view").path, fixture.url("hf-cache").path])
        XCTAssertEqual(run.status, 0, run.err)
        let loaded = try JSONDecoder().decode(Loaded.self, from: Data(run.out.utf8))

        let store = try StoreReader(manifest: result.manifestURL)
        XCTAssertEqual(loaded.store.len, store.rowCount)
        XCTAssertEqual(loaded.store.ids, try store.readStrings("meta/id"))
        XCTAssertEqual(loaded.store.labels, try store.readInt32("meta/label").map(Int.init))
        XCTAssertEqual(loaded.store.split, try store.readStrings("meta/split"))
        XCTAssertEqual(loaded.store.feature, try XCTUnwrap(try store.readRow(0).floats("features/logmel64")).map(Double.init))

        let view = try StoreReader(manifest: fixture.url("view"))
        XCTAssertEqual(loaded.view.len, view.rowCount)
        XCTAssertEqual(loaded.view.labels, try view.readInt32("meta/label").map(Int.init))
    }
}
