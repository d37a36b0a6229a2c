/// The split a trainer asks for, the same word for every corpus: what `/meta/split` holds.
///
/// Corpora publish their splits under their own names (TAU `train`/`evaluate`, CochlScene
/// `Train`/`Val`/`Test`, CAS `dev`/`eval`); a training script that selects `split == "test"` must
/// not need to know which. Each recipe maps its words (`CorpusRecipe.datasetSplit(of:)`), and the
/// corpus's own word stays beside it in `/meta/corpus_split`.
///
/// | corpus | published | `/meta/split` |
/// |---|---|---|
/// | `tau2020` | `train` (fold1_train.csv) / `evaluate` (fold1_evaluate.csv) / `unused` | `train` / `test` / `unused` |
/// | `cochlscene` | `Train` / `Val` / `Test` | `train` / `validation` / `test` |
/// | `cas2023` | `dev` labeled / `dev` unlabeled / `eval` labeled / `eval` unlabeled | `train` / `unlabeled` / `test` / `unlabeled` |
/// | `folder` | `all` labeled / unlabeled | `train` / `unlabeled` |
public enum DatasetSplit: String, Codable, CaseIterable, Sendable {
    case train
    case validation
    case test
    /// No label is published: for self- or semi-supervised training only (`/meta/label` is -1).
    case unlabeled
    /// Labeled, but outside every split of the official setup (TAU 2020 files that are in
    /// `meta.csv` and in neither fold file). Not for evaluation: some are time-parallel recordings
    /// of `test` clips (datasets.md §1), so training on them leaks into the test split.
    case unused
}

extension CorpusRecipe {
    /// The default mapping, for corpora without splits of their own: a labeled recording is
    /// `train`, an unlabeled one `unlabeled`.
    public func datasetSplit(of recording: Recording) -> DatasetSplit {
        recording.labeled ? .train : .unlabeled
    }
}
