/// A log-mel in a `FeatureSet` is the shared log-mel, cropped to `max_frames`.
extension LogMel: SharedInputExtractor {
    var sharedInput: SharedInput? { .logMel(parameters) }
    func makeSharedInputWorker() -> any SharedInputWorker { LogMelWorker(self) }
}

extension LogMelWorker: SharedInputWorker {
    func extract(_ channels: [[Float]], shared: SharedInputs) throws -> FeatureTensor {
        guard let mel = shared.logMel else { return try extract(channels) }
        let frames = extractor.frameCount(sampleCount: channels.first?.count ?? 0)
        let values = LogMel.crop(mel.values, channelCount: mel.shape[0], allFrames: mel.shape[1],
                                 frames: frames, mels: mel.shape[2])
        return FeatureTensor(shape: [mel.shape[0], frames, mel.shape[2]], values: values)
    }
}
