import Foundation

/// The dataset card (`README.md`) of a store or view: a Hugging Face YAML front matter whose
/// `configs`/`data_files` name the HDF5 files, so `datasets.load_dataset(FOLDER)` picks the HDF5
/// builder (without it, it picks the JSON builder for `manifest.json` and fails), then the class
/// names, columns, features with their parameters, splits and how to read it.
///
/// A pure function of the manifest: the same store always gets the same card.
///
/// Hugging Face reads files, not the manifest: for a store the split it names, `rows`, is every
/// row of every shard (each row's own split is in `meta/split`); for a view it can read only the
/// view's own column files, row-aligned with the view, because the view's features are rows of its
/// parent's shards that only the manifest pairs up. `acousticpipe.open` reads both whole.
public enum DatasetCard {
    public static let fileName = "README.md"
    /// The Hugging Face split name of every row (not a train/test split: see `meta/split`).
    public static let hubSplit = "rows"

    /// The card's Markdown; `reports` lists the report files written beside it.
    public static func markdown(for manifest: Manifest, reports: [String] = []) -> String {
        let files = manifest.kind == .store ? manifest.shards : (manifest.columnFiles ?? [])
        var lines = ["---", "configs:", "- config_name: default", "  data_files:", "  - split: \(hubSplit)", "    path:"]
        lines += files.map { "    - \(quoted($0.file))" }
        lines += ["pretty_name: \(quoted(manifest.pipeline))", "tags:", "- audio", "- acousticpipe", "---", ""]

        let what = manifest.kind == .store ? "store" : "view"
        lines += ["# \(manifest.pipeline)", ""]
        lines += ["An AcousticPipe \(what): \(manifest.rowCount) rows in \(files.count) HDF5 files, written by "
                  + "\(manifest.createdBy) (config hash `\(manifest.configHash)`). `manifest.json` is the entry point "
                  + "and says exactly how it was made.", ""]
        if manifest.kind == .view {
            let own = (manifest.overriddenColumns ?? []) + (manifest.addedColumns ?? [])
            lines += ["This view keeps \(manifest.rowCount) rows of its parent (`\(manifest.parent ?? "")`) and adds or "
                      + "replaces \(own.map { "`\($0)`" }.joined(separator: ", ")) in `columns/`. Its other columns, "
                      + "features included, are the parent's rows that `manifest.json` selects.", ""]
        }

        lines += ["## Reading it", "", "With AcousticPipe's reader (`Sources/python/acousticpipe`, numpy + h5py only), "
                  + "for a store, a view or a view of a view:", "", "```python", "import acousticpipe",
                  "t = acousticpipe.open(\"\(what)-folder\")      # or its manifest.json",
                  "len(t), t.columns, t.classes, t.splits", "row = t[0]                                # {'meta/label': 3, 'features/...': array}",
                  "labels = t.column(\"meta/label\")           # numpy array over every row",
                  "```", ""]
        lines += ["With Hugging Face `datasets` (its HDF5 builder; tested with datasets 5.2.0):", "", "```python",
                  "from datasets import load_dataset",
                  "ds = load_dataset(\"\(what)-folder\", split=\"\(hubSplit)\")"]
        if manifest.kind == .store {
            lines += ["train = ds.filter(lambda r: r[\"meta\"][\"split\"] == \"train\")", "```", "",
                      "HDF5 groups become nested fields (`r[\"meta\"][\"label\"]`, `r[\"features\"][...]`); the Hub "
                      + "split `\(hubSplit)` holds every row, whose own split is `meta/split`.", ""]
        } else {
            lines += ["```", "", "`load_dataset` reads only this view's own columns (row-aligned with the view): "
                      + "to pair them with the features, use `acousticpipe.open`.", ""]
        }

        lines += ["## Classes", "", "`meta/label` indexes this list; **-1 = unlabeled** (PyTorch: "
                  + "`torch.nn.CrossEntropyLoss(ignore_index=-1)`, or drop the rows).", "", "| index | class |", "|---|---|"]
        lines += manifest.classes.enumerated().map { "| \($0.offset) | \($0.element) |" }
        for (column, classes) in (manifest.columnClasses ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines += ["", "`\(column)`: " + classes.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
                      + " (-1 = none)"]
        }
        lines += [""]

        lines += ["## Columns", "", "| column | dtype | shape of one row |", "|---|---|---|"]
        lines += manifest.columns.map { "| `\($0.name)` | \($0.dtype.rawValue) | \($0.shapeDescription) |" }
        if manifest.columns.contains(where: \.isVariableLength) {
            // `load_dataset`'s HDF5 builder expects one row per element of every dataset.
            lines += ["", "A shape with `T` is a variable-length column: its dataset holds every row's frames one after "
                      + "the other, time first, and `<name>_offsets` (int64, rows + 1) where each starts: row i is "
                      + "`data[off[i]:off[i+1]]` in h5py. `acousticpipe.open` reads such rows; `load_dataset` cannot."]
        }
        lines += ["", "`meta/split` is one of `train`, `validation`, `test`, `unlabeled`, `unused` for every corpus; "
                  + "`meta/corpus_split` keeps the corpus's own word (TAU 2020 `train`/`evaluate` → `train`/`test`, "
                  + "CochlScene `Train`/`Val`/`Test` → `train`/`validation`/`test`, CAS 2023 labeled `dev` → `train`, "
                  + "unlabeled → `unlabeled`). `meta/duration` (float32 s), `meta/sample_rate` and `meta/num_samples` "
                  + "describe each file before resampling and padding/truncation.", ""]

        if let features = manifest.parameters["features"], case let .array(specs) = features {
            lines += ["## Features", ""]
            lines += specs.map { "- `\(compact($0))`" }
            lines += [""]
        } else if manifest.parameters != [:] {
            lines += ["## Parameters", "", "```json", compact(manifest.parameters), "```", ""]
        }
        if let audio = manifest.parameters["audio"] {
            lines += ["Audio: `\(compact(audio))`", ""]
        }
        if let lengths = manifest.clipLengths {
            lines += ["Clip lengths: \(lengths.padded) padded, \(lengths.truncated) truncated, \(lengths.exact) exact to "
                      + "\(lengths.duration) s; \(lengths.rejectedShort) files rejected below "
                      + "\(lengths.minDurationFraction) x \(lengths.duration) s.", ""]
        }

        if !manifest.counts.isEmpty {
            lines += ["## Rows per corpus, class and split", "", "| corpus | class | split | rows |", "|---|---|---|---|"]
            lines += manifest.counts.map { "| \($0.corpus) | \($0.label ?? "(unlabeled)") | \($0.split) | \($0.count) |" }
            lines += [""]
        }
        if !reports.isEmpty {
            lines += ["## Reports", ""]
            lines += reports.map { "- `\($0)`" }
            lines += [""]
        }
        return lines.joined(separator: "\n")
    }

    /// A YAML double-quoted scalar (a JSON string is one).
    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(text), let json = String(data: data, encoding: .utf8) else { return "\"\"" }
        return json
    }

    /// One-line JSON with sorted keys.
    private static func compact(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
