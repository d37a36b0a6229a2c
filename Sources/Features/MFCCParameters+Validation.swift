import ConfigCoding

extension MFCCParameters {
    /// The log-mel's problems (its `norm` is `mel_norm` here, but it has no rule), then the DCT's
    /// and the deltas' (librosa's `delta` raises for an even or too small `width`).
    public func configurationProblems() -> [ConfigProblem] {
        var c = ConfigChecks()
        c.add(mel.configurationProblems(), in: "")
        c.require(dctType == 2, "dct_type", dctType, "is not implemented (only type 2 is)")
        c.require(nMFCC >= 1 && nMFCC <= mel.nMels, "n_mfcc", nMFCC, "must be in 1...n_mels (\(mel.nMels))")
        c.nonNegative("lifter", lifter)
        c.require((0...2).contains(deltaOrder), "delta_order", deltaOrder, "must be 0, 1 or 2")
        if deltaOrder > 0 {
            c.require(deltaWidth >= 3 && deltaWidth % 2 == 1, "delta_width", deltaWidth, "must be an odd integer ≥ 3")
        }
        return c.problems
    }

    public func configurationWarnings() -> [ConfigProblem] { mel.configurationWarnings() }
}
