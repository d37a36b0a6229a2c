/// An FFT-method gammatone in a `FeatureSet` weights the shared STFT's float64 amplitude.
extension Gammatone: SharedInputExtractor {
    /// nil for the IIR method (no STFT).
    var sharedInput: SharedInput? {
        stft.map { .spectrum($0, sampleRate: sampleRate, product: spectrumProduct) }
    }
    func makeSharedInputWorker() -> any SharedInputWorker { GammatoneWorker(self) }
}

extension GammatoneWorker: SharedInputWorker {
    func extract(_ channels: [[Float]], shared: SharedInputs) throws -> FeatureTensor {
        // A clip with no frame: the gammatone's own worker says why.
        guard let spectrum = shared.spectrum, shared.frames > 0 else { return try extract(channels) }
        return extract(spectra: spectrum, channelCount: channels.count, frames: shared.frames)
    }
}
