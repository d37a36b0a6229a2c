/// An MFCC in a `FeatureSet` takes the DCT of the shared log-mel of its mel parameters.
extension MFCC: SharedInputExtractor {
    /// nil for a configuration error, so that the error comes from the MFCC's own worker.
    var sharedInput: SharedInput? { configurationError == nil ? .logMel(parameters.mel) : nil }
    func makeSharedInputWorker() -> any SharedInputWorker { MFCCWorker(self) }
}

extension MFCCWorker: SharedInputWorker {
    func extract(_ channels: [[Float]], shared: SharedInputs) throws -> FeatureTensor {
        guard let mel = shared.logMel else { return try extract(channels) }
        return try extract(logMel: mel)
    }
}
