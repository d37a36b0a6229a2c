extension DCASE2020T2Recipe {
    /// `dev_train` and `eval_train` (normal sounds, the additional training set) → `train`;
    /// `dev_test` and `eval_test` → `test`.
    public func datasetSplit(of recording: Recording) -> DatasetSplit {
        recording.split.hasSuffix("_train") ? .train : .test
    }
}
