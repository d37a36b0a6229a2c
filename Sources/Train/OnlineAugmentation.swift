import Augment
import Stream

/// The online augmentations of `pipe train`, recorded in the model file so a model says how it was
/// trained and a resumed run refuses other settings. Each is off when nil.
///
/// Order on each batch: the waveform augmentation and the store's features (when set), frequency shift, frequency mask, time mask (on each spectrogram), then
/// Freq-MixStyle and mixup (across the batch), as CP-JKU's training loop applies them.
public struct OnlineAugmentation: Codable, Equatable, Sendable {
    /// mixup's Beta(α, α) (per-row λ, `max(λ, 1-λ)`); soft targets are mixed with the features.
    public var mixupAlpha: Double?
    /// Freq-MixStyle's α and p.
    public var freqMixStyleAlpha: Double?
    public var freqMixStyleP: Double?
    /// torchaudio `freq_mask_param` / `time_mask_param`.
    public var freqMask: Int?
    public var timeMask: Int?
    /// SALSA `freq_shift_range` (shifts 1..range-1, p 0.5).
    public var freqShift: Int?
    /// DIR/ADIR and FOA swaps on `/audio/waveform`, then the store's features (before the above).
    public var waveform: OnlineWaveformAugmentation?

    public init(mixupAlpha: Double? = nil, freqMixStyleAlpha: Double? = nil, freqMixStyleP: Double? = nil,
                freqMask: Int? = nil, timeMask: Int? = nil, freqShift: Int? = nil, waveform: OnlineWaveformAugmentation? = nil) {
        self.mixupAlpha = mixupAlpha
        self.freqMixStyleAlpha = freqMixStyleAlpha
        self.freqMixStyleP = freqMixStyleP
        self.freqMask = freqMask
        self.timeMask = timeMask
        self.freqShift = freqShift
        self.waveform = waveform
    }

    public var isEmpty: Bool { self == OnlineAugmentation() }

    /// Why these settings cannot be used, or nil (checked before any training).
    public var validationProblem: String? {
        if let a = mixupAlpha, !(a > 0 && a.isFinite) { return "mixup alpha \(a) must be > 0" }
        if (freqMixStyleAlpha == nil) != (freqMixStyleP == nil) { return "Freq-MixStyle needs both alpha and p" }
        if let a = freqMixStyleAlpha, !(a > 0 && a.isFinite) { return "Freq-MixStyle alpha \(a) must be > 0" }
        if let p = freqMixStyleP, !(0...1).contains(p) { return "Freq-MixStyle p \(p) is not a probability in [0, 1]" }
        if let f = freqMask, f < 1 { return "frequency mask \(f) must be at least 1 bin" }
        if let t = timeMask, t < 1 { return "time mask \(t) must be at least 1 frame" }
        if let s = freqShift, s < 2 { return "frequency shift range \(s) must be at least 2 (shifts are 1..range-1)" }
        if let problem = waveform?.validationProblem { return problem }
        return nil
    }

    /// Why these settings do not fit features of `shape` [C, T, F], or nil.
    public func problem(featureShape shape: [Int]) -> String? {
        guard shape.count == 3 else { return "online augmentation needs [C, T, F] features, not \(shape)" }
        if let f = freqMask, f > shape[2] { return "frequency mask \(f) is wider than the \(shape[2]) bins" }
        if let t = timeMask, t > shape[1] { return "time mask \(t) is longer than the \(shape[1]) frames" }
        if let s = freqShift, s > shape[2] { return "frequency shift range \(s) needs more than the \(shape[2]) bins" }
        return nil
    }

    /// The stream transforms, in application order.
    public func transforms(classes: Int) -> [any BatchTransform] {
        var out: [any BatchTransform] = []
        if let s = freqShift {
            var p = FrequencyShift.Parameters()
            p.freqShiftRange = s
            out.append(FrequencyShiftTransform(shift: FrequencyShift(parameters: p)))
        }
        if let f = freqMask { out.append(MaskingTransform(masking: Masking(parameters: .init(maskParam: f, axis: .frequency)))) }
        if let t = timeMask { out.append(MaskingTransform(masking: Masking(parameters: .init(maskParam: t, axis: .time)))) }
        if let a = freqMixStyleAlpha, let p = freqMixStyleP {
            out.append(FreqMixStyleTransform(mixStyle: FreqMixStyle(parameters: .init(p: p, alpha: a))))
        }
        if let a = mixupAlpha { out.append(MixupTransform(mixup: Mixup(parameters: .init(alpha: a)), classes: classes)) }
        return out
    }
}
