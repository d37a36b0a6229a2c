extension TAU2020Recipe {
    /// fold1_train → `train`, fold1_evaluate → `test` (the DCASE 2020 development test set, which
    /// papers report on), files in neither fold → `unused`.
    public func datasetSplit(of recording: Recording) -> DatasetSplit {
        switch recording.split {
        case "train": return .train
        case "evaluate": return .test
        default: return .unused
        }
    }
}
