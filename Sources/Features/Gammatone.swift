import ConfigCoding
import DSP
import Foundation

/// Parameters of the gammatone spectrogram (`kind: gammatone`), named after the references:
/// Ellis's `gammatonegram(X, SR, TWIN, THOP, N, FMIN, FMAX, USEFFT, WIDTH)`, its Python ports
/// (mcusi's `gammatonegram(x, sr, twin, thop, N, fmin, fmax, width)` used by SPSMR, detly's
/// `fft_gtgram`/`fft_weights(nfft, fs, nfilts, width, fmin, fmax, maxlen)`) and `gtg_in_dB`.
///
/// Defaults are the de-facto ASC "Gamma" (SPSMR, features.md §2.4): 44.1 kHz, 40 ms window,
/// 20 ms hop, 64 bands from 20 Hz to sr/2, width 1, amplitude domain (power 1, as Ellis), with the
/// pipeline's librosa-centred framing so the frames line up with a log-mel of the same hop. The
/// reference's own framings, dB conventions and int32 input scale are options, all written to the
/// manifest.
public struct GammatoneParameters: Codable, Equatable, Sendable {
    /// How the filterbank is realised.
    public enum Method: String, Codable, Sendable {
        /// Ellis's FFT weights applied (sgemm) to an STFT magnitude (`USEFFT=1`, `fft_gtgram`).
        case fft
        /// Slaney's IIR cascade with `gtgram`'s rectangular RMS framing (the slow reference).
        case iir
    }

    /// Where the frames of the FFT method sit.
    public enum Framing: String, Codable, Sendable {
        /// `|librosa.stft(center=True, n_fft=nfft, win_length=nwin, hop_length=nhop)|`: frame `t`
        /// centred on `t·nhop`, `T = 1 + n/nhop`, periodic Hann of `nwin` centred in `nfft`.
        case librosa
        /// `scipy.signal.spectrogram(nperseg=nwin, noverlap=nwin-nhop, nfft, scaling='density',
        /// mode='magnitude')` as SPSMR/mcusi: start-aligned, `T = 1 + (n-nwin)/nhop`.
        case scipy
        /// Ellis's `specgram`: `nfft`-long frames from sample 0, Hann of `nwin` centred in them,
        /// `T = 1 + (n-nfft)/nhop`, raw FFT.
        case ellis
    }

    /// How the linear values become the stored ones.
    public enum LogKind: String, Codable, Sendable {
        /// Linear (Ellis, detly and nnAudio return linear values).
        case none
        /// mcusi's `gtg_in_dB`: zeros become `log_constant`, `20·log10(y)`, floor at `dB_threshold`
        /// (absolute, not relative to the maximum).
        case gtgInDB = "gtg_in_db"
        /// `librosa.amplitude_to_db(y, ref, amin, top_db)` (amin default 1e-5).
        case amplitudeToDB = "amplitude_to_db"
        /// `librosa.power_to_db(y, ref, amin, top_db)` (amin default 1e-10; for `power: 2`).
        case powerToDB = "power_to_db"
    }

    public var sr: Int = 44100
    /// Window and hop in seconds; converted with `round_half_away_from_zero(t·sr)` as `gtgram_strides`.
    public var twin: Double = 0.040
    public var thop: Double = 0.020
    /// Window and hop in samples, overriding `twin`/`thop` (e.g. hop 512 to match a log-mel grid).
    public var winLength: Int? = nil
    public var hopLength: Int? = nil
    /// FFT size; nil gives Ellis's `2^ceil(log2(2·nwin))` (4096 for 40 ms at 44.1 kHz).
    public var nfft: Int? = nil
    public var nfilts: Int = 64
    public var fmin: Double = 20
    public var fmax: Double? = nil
    public var width: Double = 1
    public var method: Method = .fft
    public var framing: Framing = .librosa
    /// Padding of the librosa framing's `center=True`.
    public var padMode: PadMode = .constant
    /// How the librosa framing's reflect padding treats the end (`TailPadding`; librosa 0.11's tail slice by default).
    public var padTail: TailPadding = .slice
    /// Exponent of the STFT magnitude the weights are applied to (1 = amplitude, as Ellis; nnAudio
    /// uses 2), or of the IIR method's RMS.
    public var power: Float = 1
    /// Multiplies the input samples: `2147483648` reproduces SPSMR's left-justified int32 input.
    public var inputScale: Double = 1
    public var log: LogKind = .none
    public var logConstant: Double = 1e-80
    public var dbThreshold: Double = -50
    public var ref: PowerToDB.Reference = .value(1)
    public var amin: Double? = nil
    public var topDB: Double? = 80

    public init() {}

    /// Window length in samples (`nwin`).
    public var resolvedWinLength: Int { winLength ?? Int((twin * Double(sr)).rounded(.toNearestOrAwayFromZero)) }
    /// Hop in samples (`nhop`).
    public var resolvedHopLength: Int { hopLength ?? Int((thop * Double(sr)).rounded(.toNearestOrAwayFromZero)) }
    /// `nfft = 2^ceil(log2(2·twin·sr))` as `gammatonegram.m` (`winext = 1`).
    public var resolvedNFFT: Int {
        if let nfft { return nfft }
        let span = winLength.map { 2 * Double($0) } ?? 2 * twin * Double(sr)
        return Int(pow(2, ceil(log2(span))))
    }

    enum CodingKeys: String, CodingKey {
        case sr, twin, thop, winLength = "win_length", hopLength = "hop_length", nfft, nfilts, fmin, fmax, width
        case method, framing, padMode = "pad_mode", power, inputScale = "input_scale", log
        case logConstant = "log_constant", dbThreshold = "dB_threshold", ref, amin, topDB = "top_db"
        case padTail = "pad_tail"
    }

    public init(from decoder: Decoder) throws {
        self = try Self.decodeStrictly(from: decoder)
    }

    public static func decodeFields(_ f: inout ConfigFields<Self>) throws {
        try f.decode("sr", \.sr)
        try f.decode("twin", \.twin)
        try f.decode("thop", \.thop)
        try f.decode("win_length", \.winLength)
        try f.decode("hop_length", \.hopLength)
        try f.decode("nfft", \.nfft)
        try f.decode("nfilts", \.nfilts)
        try f.decode("fmin", \.fmin)
        try f.decode("fmax", \.fmax)
        try f.decode("width", \.width)
        try f.decode("method", \.method)
        try f.decode("framing", \.framing)
        try f.decode("pad_mode", \.padMode)
        try f.decode("pad_tail", \.padTail)
        try f.decode("power", \.power)
        try f.decode("input_scale", \.inputScale)
        try f.decode("log", \.log)
        try f.decode("log_constant", \.logConstant)
        try f.decode("dB_threshold", \.dbThreshold)
        try f.decode("ref", \.ref)
        try f.decode("amin", \.amin)
        // An explicit `top_db: null` turns the floor off; an absent key keeps librosa's 80.
        try f.decode("top_db", \.topDB)
    }

    /// Every parameter actually used is written, the derived sample counts included.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sr, forKey: .sr)
        try c.encode(twin, forKey: .twin)
        try c.encode(thop, forKey: .thop)
        try c.encode(resolvedWinLength, forKey: .winLength)
        try c.encode(resolvedHopLength, forKey: .hopLength)
        try c.encode(resolvedNFFT, forKey: .nfft)
        try c.encode(nfilts, forKey: .nfilts)
        try c.encode(fmin, forKey: .fmin)
        try c.encode(fmax ?? Double(sr) / 2, forKey: .fmax)
        try c.encode(width, forKey: .width)
        try c.encode(method, forKey: .method)
        try c.encode(framing, forKey: .framing)
        try c.encode(padMode, forKey: .padMode)
        try c.encode(padTail, forKey: .padTail)
        try c.encode(power, forKey: .power)
        try c.encode(inputScale, forKey: .inputScale)
        try c.encode(log, forKey: .log)
        try c.encode(logConstant, forKey: .logConstant)
        try c.encode(dbThreshold, forKey: .dbThreshold)
        try c.encode(ref, forKey: .ref)
        try c.encode(resolvedAmin, forKey: .amin)
        if let topDB { try c.encode(topDB, forKey: .topDB) } else { try c.encodeNil(forKey: .topDB) }
    }

    /// librosa's amin for the chosen conversion.
    public var resolvedAmin: Double { amin ?? (log == .powerToDB ? 1e-10 : 1e-5) }
}

/// Gammatone spectrogram, `[C, T, nfilts]`: Ellis's FFT-weight gammatone filterbank on the ERB
/// scale (default) or Slaney's IIR filterbank (features.md §2).
///
/// FFT method: `Y = (1/nfft) · W · |S|^power`, where `|S|` comes from the chosen framing and `W`
/// from `GammatoneFilterbank`; the constants (`1/nfft`, `input_scale^power`) are folded into the
/// float32 weights once, so a clip costs one STFT and one sgemm per channel.
public struct Gammatone: FeatureExtractor {
    public let name: String
    public let parameters: GammatoneParameters
    /// Exactly one of these is set, by `method` and `framing`.
    let stft: STFT?
    let segments: SegmentSpectrogram?
    let filterbank: GammatoneFilterbank?
    let iir: GammatoneIIRFilterbank?

    public init(name: String = "gammatone", parameters: GammatoneParameters) {
        self.name = name
        self.parameters = parameters
        let p = parameters
        let fs = Double(p.sr)
        let nwin = p.resolvedWinLength, nhop = p.resolvedHopLength, nfft = p.resolvedNFFT
        switch p.method {
        case .iir:
            stft = nil
            segments = nil
            filterbank = nil
            iir = GammatoneIIRFilterbank(sampleRate: fs, nfilts: p.nfilts, fmin: p.fmin, fmax: p.fmax,
                                         windowLength: nwin, hopLength: nhop)
        case .fft:
            iir = nil
            switch p.framing {
            case .librosa:
                stft = STFT(nFFT: nfft, hopLength: nhop, winLength: nwin, window: .hann, center: true, padMode: p.padMode,
                            padTail: p.padTail)
                segments = nil
            case .ellis:
                // Ellis's window is 0.5(1+cos(πk/(nwin/2))) at nfft/2 ± k: a periodic Hann of
                // 2·(nwin/2) samples centred in nfft, i.e. librosa's pad_center without centring the frames.
                stft = STFT(nFFT: nfft, hopLength: nhop, winLength: 2 * (nwin / 2), window: .hann, center: false)
                segments = nil
            case .scipy:
                stft = nil
                segments = SegmentSpectrogram(sampleRate: fs, window: .hann, nperseg: nwin, noverlap: nwin - nhop,
                                              nfft: nfft, scaling: .density)
            }
            let scale = pow(p.inputScale, Double(p.power)) / Double(nfft)
            filterbank = GammatoneFilterbank(sampleRate: fs, nfft: nfft, nfilts: p.nfilts, width: p.width,
                                             fmin: p.fmin, fmax: p.fmax, scale: scale)
        }
    }

    public var sampleRate: Int { parameters.sr }

    /// Centre frequencies of the rows, ascending.
    public var centreFrequencies: [Double] {
        filterbank?.centreFrequencies ?? iir!.filters.map(\.centreFrequency)
    }

    public func frameCount(sampleCount n: Int) -> Int {
        if let iir { return iir.frameCount(sampleCount: n) }
        if let segments { return segments.frameCount(sampleCount: n) }
        return stft!.frameCount(sampleCount: n)
    }

    public func outputShape(channelCount: Int, sampleCount: Int) -> [Int] {
        [channelCount, frameCount(sampleCount: sampleCount), parameters.nfilts]
    }

    public func makeWorker() -> any FeatureWorker { GammatoneWorker(self) }

    /// What the FFT method takes from each STFT frame (librosa and Ellis framings).
    var spectrumProduct: STFT.Product { .float64Magnitude(power: parameters.power) }
}

/// Per-thread scratch of `Gammatone`: FFT buffers and a spectrum (or IIR energy) buffer, grown
/// once to the longest clip seen.
final class GammatoneWorker: FeatureWorker {
    let extractor: Gammatone
    let buffers: FFTBuffers?
    var spectrum: [Float] = []
    var energy: [Double] = []

    init(_ extractor: Gammatone) {
        self.extractor = extractor
        buffers = extractor.stft?.makeBuffers() ?? extractor.segments?.makeBuffers()
    }

    func extract(_ channels: [[Float]]) throws -> FeatureTensor {
        let p = extractor.parameters
        let n = channels.first?.count ?? 0
        let frames = extractor.frameCount(sampleCount: n)
        guard frames > 0 else {
            throw FeatureError("clip of \(n) samples is shorter than one gammatone frame (\(p.method), \(p.framing))")
        }
        let bands = p.nfilts
        let perChannel = frames * bands
        var out = [Float](repeating: 0, count: channels.count * perChannel)
        out.withUnsafeMutableBufferPointer { outBuffer in
            for (c, channel) in channels.enumerated() {
                let dst = outBuffer.baseAddress! + c * perChannel
                channel.withUnsafeBufferPointer { signal in
                    if let iir = extractor.iir {
                        if energy.count < n { energy = [Double](repeating: 0, count: n) }
                        energy.withUnsafeMutableBufferPointer { e in
                            iir.apply(signal, scale: p.inputScale, energy: e.baseAddress!, into: dst)
                        }
                        if p.power != 1 {
                            for i in 0..<perChannel { dst[i] = powf(dst[i], p.power) }
                        }
                    } else {
                        fftMethod(signal, frames: frames, into: dst)
                    }
                }
            }
            applyLog(outBuffer)
        }
        return FeatureTensor(shape: [channels.count, frames, bands], values: out)
    }

    func fftMethod(_ signal: UnsafeBufferPointer<Float>, frames: Int, into dst: UnsafeMutablePointer<Float>) {
        let p = extractor.parameters
        let filterbank = extractor.filterbank!
        let bins = filterbank.binCount
        if spectrum.count < frames * bins { spectrum = [Float](repeating: 0, count: frames * bins) }
        spectrum.withUnsafeMutableBufferPointer { spec in
            if let stft = extractor.stft {
                // |X| in float64 from the float64 transform: as accurate as librosa's complex64 abs and
                // several times cheaper than float32 hypotf, which dominated the clip's cost.
                stft.products(signal, [extractor.spectrumProduct], buffers: buffers!, into: [spec.baseAddress!])
            } else {
                extractor.segments!.magnitude(signal, power: p.power, buffers: buffers!, into: spec.baseAddress!)
            }
            filterbank.apply(spec.baseAddress!, frames: frames, into: dst)
        }
    }

    /// The FFT method from spectra computed elsewhere (`FeatureSet`'s shared STFT): `spectra` holds
    /// `[C, frames, bins]` of `spectrumProduct`.
    func extract(spectra: UnsafePointer<Float>, channelCount: Int, frames: Int) -> FeatureTensor {
        let filterbank = extractor.filterbank!
        let bands = extractor.parameters.nfilts
        var out = [Float](repeating: 0, count: channelCount * frames * bands)
        out.withUnsafeMutableBufferPointer { outBuffer in
            for c in 0..<channelCount {
                filterbank.apply(spectra + c * frames * filterbank.binCount, frames: frames,
                                 into: outBuffer.baseAddress! + c * frames * bands)
            }
            applyLog(outBuffer)
        }
        return FeatureTensor(shape: [channelCount, frames, bands], values: out)
    }

    func applyLog(_ values: UnsafeMutableBufferPointer<Float>) {
        let p = extractor.parameters
        switch p.log {
        case .none:
            return
        case .gtgInDB:
            for i in 0..<values.count {
                let y = values[i] == 0 ? p.logConstant : Double(values[i])
                values[i] = Float(max(20 * log10(y), p.dbThreshold))
            }
        case .amplitudeToDB:
            // amplitude_to_db(S) = power_to_db(S², ref², amin², top_db), in float32 as librosa.
            for i in 0..<values.count { values[i] = values[i] * values[i] }
            let amin = p.resolvedAmin
            let ref: PowerToDB.Reference
            switch p.ref {
            case .value(let v): ref = .value(v * v)
            case .max: ref = .max
            }
            PowerToDB(ref: ref, amin: amin * amin, topDB: p.topDB).apply(values)
        case .powerToDB:
            PowerToDB(ref: p.ref, amin: p.resolvedAmin, topDB: p.topDB).apply(values)
        }
    }
}
