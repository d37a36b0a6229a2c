extension TAU2022Recipe {
    /// As TAU 2020: fold1_train → `train`, fold1_evaluate → `test`, neither → `unused`.
    public func datasetSplit(of recording: Recording) -> DatasetSplit {
        switch recording.split {
        case "train": return .train
        case "evaluate": return .test
        default: return .unused
        }
    }
}
