extension CAS2023Recipe {
    /// Unlabeled clips (80 % of development, all of evaluation as published) are `unlabeled`
    /// whatever their folder; labeled development clips are `train`, labeled evaluation clips
    /// (a metadata file with evaluation labels) `test`.
    public func datasetSplit(of recording: Recording) -> DatasetSplit {
        guard recording.labeled else { return .unlabeled }
        return recording.split == "eval" ? .test : .train
    }
}
