import Foundation

/// Which resampler converts between sample rates, and at what quality.
///
/// Two backends behind one interface (features.md §10): libsoxr's HQ one-shot in float32 reproduces
/// `librosa.resample`'s default (`res_type='soxr_hq'`) bit-exactly and is ~100 times faster than
/// libsamplerate's best converter; libsamplerate is what many existing pipelines used.
public struct ResamplerSpec: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Backend: String, Codable, Sendable { case soxr, libsamplerate }
    public enum Quality: String, Codable, Sendable {
        /// soxr recipes
        case hq, vhq, mq, lq
        /// libsamplerate converters
        case sincBest = "sinc_best", sincMedium = "sinc_medium", sincFastest = "sinc_fastest"
    }

    public var backend: Backend
    public var quality: Quality

    public init(backend: Backend = .soxr, quality: Quality = .hq) {
        self.backend = backend
        self.quality = quality
    }

    /// librosa's default resampler.
    public static let librosaDefault = ResamplerSpec(backend: .soxr, quality: .hq)

    /// Parses librosa's `res_type` names (`soxr_hq`, `soxr_vhq`, `sinc_best`, …).
    public init(resType: String) throws {
        switch resType {
        case "soxr_hq": self.init(backend: .soxr, quality: .hq)
        case "soxr_vhq": self.init(backend: .soxr, quality: .vhq)
        case "soxr_mq": self.init(backend: .soxr, quality: .mq)
        case "soxr_lq": self.init(backend: .soxr, quality: .lq)
        case "sinc_best": self.init(backend: .libsamplerate, quality: .sincBest)
        case "sinc_medium": self.init(backend: .libsamplerate, quality: .sincMedium)
        case "sinc_fastest": self.init(backend: .libsamplerate, quality: .sincFastest)
        default:
            throw AudioError.resampleFailed(backend: resType,
                reason: "unknown res_type (use soxr_hq, soxr_vhq, soxr_mq, soxr_lq, sinc_best, sinc_medium or sinc_fastest)")
        }
    }

    /// librosa's spelling, recorded in the manifest.
    public var resType: String {
        switch (backend, quality) {
        case (.soxr, .hq): return "soxr_hq"
        case (.soxr, .vhq): return "soxr_vhq"
        case (.soxr, .mq): return "soxr_mq"
        case (.soxr, .lq): return "soxr_lq"
        case (_, .sincBest): return "sinc_best"
        case (_, .sincMedium): return "sinc_medium"
        case (_, .sincFastest): return "sinc_fastest"
        default: return "\(backend.rawValue)_\(quality.rawValue)"
        }
    }

    public var description: String { resType }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(resType: try container.decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(resType)
    }

    /// The resampler this spec names.
    public func makeResampler() throws -> any Resampler {
        switch backend {
        case .soxr: return try SoxrResampler(quality: quality)
        case .libsamplerate: return try SampleRateResampler(quality: quality)
        }
    }
}

/// Converts one channel between sample rates with librosa's output-length rule.
public protocol Resampler: Sendable {
    /// Resamples `signal` from `sourceRate` to `targetRate`. The result has exactly
    /// `outputLength(...)` samples (zero-padded or truncated at the end), as `librosa.resample`
    /// with `fix=True`; equal rates return the input unchanged.
    func resample(_ signal: [Float], from sourceRate: Int, to targetRate: Int) throws -> [Float]
}

public enum ResampleLength {
    /// librosa's `n_out = int(ceil(n * (float(target)/orig)))`, computed in float64 — which can add
    /// a sample (441000 samples from 44.1 to 48 kHz give 480001).
    public static func outputLength(inputLength n: Int, from sourceRate: Int, to targetRate: Int) -> Int {
        let ratio = Double(targetRate) / Double(sourceRate)
        return Int((Double(n) * ratio).rounded(.up))
    }
}

extension AudioBuffer {
    /// Every channel resampled to `targetRate` (librosa's `apply_along_axis` over channels).
    ///
    /// Both rates must lie in `AudioLimits.sampleRates`: the output's size is `n × target / source`,
    /// so a rate of 1 Hz on either side asks for gigabytes (the decoder refuses such files; this
    /// guard keeps any other caller from reaching the resampler with one).
    public func resampled(to targetRate: Int, with resampler: any Resampler) throws -> AudioBuffer {
        guard targetRate != sampleRate else { return self }
        for rate in [sampleRate, targetRate] where !AudioLimits.sampleRates.contains(rate) {
            throw AudioError.resampleFailed(backend: String(describing: type(of: resampler)), reason:
                "rate \(rate) Hz is outside \(AudioLimits.minSampleRate)...\(AudioLimits.maxSampleRate) Hz")
        }
        let out = try channels.map { try resampler.resample($0, from: sampleRate, to: targetRate) }
        return AudioBuffer(sampleRate: targetRate, channels: out)
    }

    /// Zero-pads or truncates every channel at the end to `length` frames (`librosa.util.fix_length`).
    public func fixedLength(_ length: Int) -> AudioBuffer {
        AudioBuffer(sampleRate: sampleRate, channels: channels.map { $0.fixedLength(length) })
    }
}

extension Array where Element == Float {
    /// `librosa.util.fix_length`: truncate, or zero-pad at the end.
    public func fixedLength(_ length: Int) -> [Float] {
        if count == length { return self }
        if count > length { return Array(self[0..<length]) }
        var padded = self
        padded.append(contentsOf: repeatElement(0, count: length - count))
        return padded
    }
}
