/// An ESgram in a `FeatureSet` gates the shared log-mel with statistics of the shared mel power.
extension ESgram: SharedInputExtractor {
    var sharedInput: SharedInput? { .melAndLogMel(parameters.logmel) }
    func makeSharedInputWorker() -> any SharedInputWorker { ESgramWorker(self) }
}

extension ESgramWorker: SharedInputWorker {
    func extract(_ channels: [[Float]], shared: SharedInputs) throws -> FeatureTensor {
        guard let linear = shared.linearMel, let logged = shared.logMel else { return try extract(channels) }
        return gated(linear: linear, logged: logged)
    }
}
