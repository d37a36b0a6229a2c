import DSP
import Foundation

/// The representations of one pipeline, computed together per clip so that work they have in common
/// is done once.
///
/// At `init` the set finds the intermediate results its specs share:
/// - one STFT pass per distinct `STFT.Key` (n_fft, hop, win, window, center, pad_mode) and channel,
///   each frame's transform turned into every product its consumers need (the log-mel family's
///   `|X|^power`, the librosa/Ellis-framed gammatone's float64 amplitude);
/// - one mel power spectrogram per distinct mel front end (`logmel`, `mfcc` and `esgram` parameters
///   without `log`/`db`/`max_frames`);
/// - one log-mel per distinct log conversion of it: an MFCC whose mel parameters equal a log-mel's
///   takes the DCT of that log-mel, an ESgram gates the log-mel it matches.
/// Each representation runs exactly the operations it runs alone, on the same inputs, so every
/// output is bit-identical to its extractor's own worker (tested). What a kind takes from the set is
/// its `SharedInputExtractor` conformance (`LogMel+SharedInput.swift` …); other kinds use their own
/// workers, so a new kind shares by conforming, not by a case here.
public struct FeatureSet: Sendable {
    public let specs: [FeatureSpec]
    /// One per spec, in spec order (for names, rates and shapes).
    public let extractors: [any FeatureExtractor]

    /// How one spec is computed: alone, or from these shared nodes.
    enum Route: Sendable {
        case own
        case shared(Needs)
    }

    /// The shared nodes one spec reads: a spectrum node and product, a mel node, a logged node.
    struct Needs: Sendable {
        var spectrum: (node: Int, product: Int)?
        var mel: Int?
        var logged: Int?
    }

    struct SpectrumNode: Sendable {
        let stft: STFT
        let sampleRate: Int
        var products: [STFT.Product]
    }

    /// Mel power `[C, T, M]` (no log, no crop) from product `product` of spectrum node `spectrum`.
    struct MelNode: Sendable {
        let logMel: LogMel
        let spectrum: Int
        let product: Int
    }

    /// `LogMel.applyLog(parameters)` of mel node `mel`.
    struct LoggedNode: Sendable {
        let parameters: LogMelParameters
        let mel: Int
    }

    let routes: [Route]
    let spectra: [SpectrumNode]
    let mels: [MelNode]
    let logged: [LoggedNode]

    public init(_ specs: [FeatureSpec]) {
        self.specs = specs
        let extractors = specs.map { $0.makeExtractor() }
        self.extractors = extractors
        var spectra: [SpectrumNode] = []
        var mels: [MelNode] = []
        var melKeys: [LogMelParameters] = []
        var logged: [LoggedNode] = []

        func spectrum(_ stft: STFT, rate: Int, _ product: STFT.Product) -> (Int, Int) {
            let i = spectra.firstIndex { $0.stft.key == stft.key && $0.sampleRate == rate }
                ?? { spectra.append(SpectrumNode(stft: stft, sampleRate: rate, products: [])); return spectra.count - 1 }()
            let j = spectra[i].products.firstIndex(of: product)
                ?? { spectra[i].products.append(product); return spectra[i].products.count - 1 }()
            return (i, j)
        }
        /// The mel node of `p`'s front end (log and crop left out).
        func mel(_ p: LogMelParameters) -> Int {
            var key = p
            key.log = .none
            key.db = PowerToDB()
            key.dbScope = .clip
            key.maxFrames = nil
            // As in `STFT.key`: the tail rule only changes centred reflect-padded frames.
            if !(key.center && key.padMode == .reflect) { key.padTail = .slice }
            if let i = melKeys.firstIndex(of: key) { return i }
            let logMel = LogMel(parameters: key)
            let (s, j) = spectrum(logMel.stft, rate: key.sr, .magnitude(power: key.power))
            melKeys.append(key)
            mels.append(MelNode(logMel: logMel, spectrum: s, product: j))
            return mels.count - 1
        }
        func log(_ p: LogMelParameters) -> Int {
            var key = p
            key.maxFrames = nil
            if let i = logged.firstIndex(where: { $0.parameters == key }) { return i }
            logged.append(LoggedNode(parameters: key, mel: mel(key)))
            return logged.count - 1
        }

        routes = extractors.map { extractor in
            guard let input = (extractor as? any SharedInputExtractor)?.sharedInput else { return .own }
            switch input {
            case .logMel(let p):
                return .shared(Needs(logged: log(p)))
            case .melAndLogMel(let p):
                let linear = mel(p)
                return .shared(Needs(mel: linear, logged: log(p)))
            case let .spectrum(stft, rate, product):
                let (s, j) = spectrum(stft, rate: rate, product)
                return .shared(Needs(spectrum: (s, j)))
            }
        }
        self.spectra = spectra
        self.mels = mels
        self.logged = logged
    }

    public func makeWorker() -> FeatureSetWorker { FeatureSetWorker(self) }
}

/// Computes a `FeatureSet` for one clip at a time; one per thread. Holds each representation's own
/// worker and the per-clip cache of shared intermediate results (buffers reused between clips).
public final class FeatureSetWorker {
    let set: FeatureSet
    /// Each spec's worker; for a shared route, the same object as in `sharedWorkers`.
    let workers: [any FeatureWorker]
    let sharedWorkers: [(any SharedInputWorker)?]
    let buffers: [FFTBuffers]
    /// Per spectrum node and product: `[C, T, bins]`.
    var spectra: [[SpectrumBuffer]]
    var spectraDone: [Bool]
    var mels: [FeatureTensor?]
    var logged: [FeatureTensor?]

    init(_ set: FeatureSet) {
        self.set = set
        sharedWorkers = zip(set.extractors, set.routes).map { extractor, route in
            guard case .shared = route else { return nil }
            return (extractor as? any SharedInputExtractor)?.makeSharedInputWorker()
        }
        workers = zip(set.extractors, sharedWorkers).map { extractor, shared in shared ?? extractor.makeWorker() }
        buffers = set.spectra.map { $0.stft.makeBuffers() }
        spectra = set.spectra.map { node in node.products.map { _ in SpectrumBuffer() } }
        spectraDone = [Bool](repeating: false, count: set.spectra.count)
        mels = [FeatureTensor?](repeating: nil, count: set.mels.count)
        logged = [FeatureTensor?](repeating: nil, count: set.logged.count)
    }

    /// Every representation of one clip, in spec order. `waveforms` holds the clip at each sample
    /// rate the set's extractors ask for, as `[channels][samples]`.
    public func extract(_ waveforms: [Int: [[Float]]]) throws -> [FeatureTensor] {
        for i in spectraDone.indices { spectraDone[i] = false }
        for i in mels.indices { mels[i] = nil }
        for i in logged.indices { logged[i] = nil }
        defer {
            for i in mels.indices { mels[i] = nil }
            for i in logged.indices { logged[i] = nil }
        }
        var results: [FeatureTensor] = []
        results.reserveCapacity(set.extractors.count)
        for (i, extractor) in set.extractors.enumerated() {
            let channels = try clip(waveforms, extractor.sampleRate)
            guard case .shared(let needs) = set.routes[i], let worker = sharedWorkers[i] else {
                results.append(try workers[i].extract(channels))
                continue
            }
            var inputs = SharedInputs()
            if let (s, j) = needs.spectrum {
                inputs.frames = try spectrum(s, waveforms)
                if inputs.frames > 0 { inputs.spectrum = UnsafePointer(spectra[s][j].pointer) }
            }
            if let m = needs.mel { inputs.linearMel = try mel(m, waveforms) }
            if let l = needs.logged { inputs.logMel = try logMel(l, waveforms) }
            results.append(try worker.extract(channels, shared: inputs))
        }
        return results
    }

    func clip(_ waveforms: [Int: [[Float]]], _ rate: Int) throws -> [[Float]] {
        guard let channels = waveforms[rate] else { throw FeatureError("no waveform at \(rate) Hz for the feature set") }
        return channels
    }

    /// Runs spectrum node `s` for the clip (once) and returns its frame count.
    func spectrum(_ s: Int, _ waveforms: [Int: [[Float]]]) throws -> Int {
        let node = set.spectra[s]
        let channels = try clip(waveforms, node.sampleRate)
        let frames = node.stft.frameCount(sampleCount: channels.first?.count ?? 0)
        if spectraDone[s] || frames == 0 { return frames }
        let bins = node.stft.binCount
        let size = channels.count * frames * bins
        for buffer in spectra[s] { buffer.reserve(size) }
        for (c, channel) in channels.enumerated() {
            let outs = spectra[s].map { $0.pointer + c * frames * bins }
            channel.withUnsafeBufferPointer { signal in
                node.stft.products(signal, node.products, buffers: buffers[s], into: outs)
            }
        }
        spectraDone[s] = true
        return frames
    }

    /// Mel power `[C, T, M]` of mel node `m` (as `LogMelWorker` with `log: none`, uncropped).
    func mel(_ m: Int, _ waveforms: [Int: [[Float]]]) throws -> FeatureTensor {
        if let done = mels[m] { return done }
        let node = set.mels[m]
        let p = node.logMel.parameters
        let channels = try clip(waveforms, p.sr)
        let n = channels.first?.count ?? 0
        let frames = try spectrum(node.spectrum, waveforms)
        guard frames > 0 else {
            throw FeatureError("clip of \(n) samples is shorter than one frame (n_fft \(p.nFFT), center=false)")
        }
        let bins = node.logMel.stft.binCount
        var out = [Float](repeating: 0, count: channels.count * frames * p.nMels)
        let spec = spectra[node.spectrum][node.product].pointer
        out.withUnsafeMutableBufferPointer { o in
            for c in 0..<channels.count {
                node.logMel.filterbank.apply(spec + c * frames * bins, frames: frames,
                                             into: o.baseAddress! + c * frames * p.nMels)
            }
        }
        let tensor = FeatureTensor(shape: [channels.count, frames, p.nMels], values: out)
        mels[m] = tensor
        return tensor
    }

    /// Log-mel `[C, T, M]` of logged node `l`, uncropped.
    func logMel(_ l: Int, _ waveforms: [Int: [[Float]]]) throws -> FeatureTensor {
        if let done = logged[l] { return done }
        let node = set.logged[l]
        var tensor = try mel(node.mel, waveforms)
        if node.parameters.log != .none {
            let perChannel = tensor.shape[1] * tensor.shape[2]
            let channelCount = tensor.shape[0]
            tensor.values.withUnsafeMutableBufferPointer {
                LogMel.applyLog(node.parameters, $0, channelCount: channelCount, perChannel: perChannel)
            }
        }
        logged[l] = tensor
        return tensor
    }
}

/// A float buffer grown to the largest clip seen and reused (its address is stable between growths).
final class SpectrumBuffer {
    private(set) var pointer = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var capacity = 1

    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
        capacity = count
    }

    deinit { pointer.deallocate() }
}
