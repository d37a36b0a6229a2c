extension CochlSceneRecipe {
    /// The split folders: `Train` → `train`, `Val` → `validation`, `Test` → `test`.
    public func datasetSplit(of recording: Recording) -> DatasetSplit {
        switch recording.split {
        case "Train": return .train
        case "Val": return .validation
        case "Test": return .test
        default: return recording.labeled ? .train : .unlabeled
        }
    }
}
