import Augment
import Foundation
import Pipeline
import Store
import Stream

/// The waveform augmentations of `pipe train` (`--dir`, `--adir-threshold`, `--foa-swap`), run
/// online on a store's `/audio/waveform` rows with fresh draws every epoch, followed by the store's
/// own features. Recorded in the model with the other online augmentations.
public struct OnlineWaveformAugmentation: Codable, Equatable, Sendable {
    /// The folder of device impulse responses (every `*.wav`, sorted by path, as `MicIRP/`):
    /// DIR (or ADIR with `adirThreshold`) convolves a row with one drawn from it.
    public var bank: String?
    /// DIR's `dir_prob` (ADIR's p_A): CP-JKU's 0.6.
    public var dirProb: Double
    /// ADIR's E_thr (Σx² of the clip): with it, only rows above the threshold are convolved.
    public var adirThreshold: Double?
    /// Devices whose rows are convolved (`meta/device`); nil = every row. CP-JKU: device `a`.
    public var devices: [String]?
    /// FOA channel swap probability (one of the 16 transforms of features.md §8.1), DOA targets
    /// rotated with the channels; nil = off.
    public var foaSwapProb: Double?

    public init(bank: String? = nil, dirProb: Double = 0.6, adirThreshold: Double? = nil, devices: [String]? = ["a"],
                foaSwapProb: Double? = nil) {
        self.bank = bank
        self.dirProb = dirProb
        self.adirThreshold = adirThreshold
        self.devices = devices
        self.foaSwapProb = foaSwapProb
    }

    /// Why these settings cannot be used, or nil (checked before any training).
    public var validationProblem: String? {
        if bank == nil, foaSwapProb == nil { return "waveform augmentation needs an impulse-response bank (DIR/ADIR) or an FOA swap" }
        if !(0...1).contains(dirProb) { return "DIR probability \(dirProb) is not a probability in [0, 1]" }
        if let t = adirThreshold, !(t.isFinite && t >= 0) { return "ADIR threshold \(t) must be finite and >= 0" }
        if adirThreshold != nil, bank == nil { return "ADIR needs the impulse-response bank (--dir BANK_DIR)" }
        if let d = devices, d.isEmpty { return "the DIR device list is empty: no row would be convolved" }
        if let p = foaSwapProb, !(0...1).contains(p) { return "FOA swap probability \(p) is not a probability in [0, 1]" }
        return nil
    }

    /// The chain's steps in application order: the device response, then the channel swap.
    public var steps: [AugmentStep] {
        var out: [AugmentStep] = []
        if bank != nil {
            if let threshold = adirThreshold {
                var p = AdaptiveDeviceImpulseResponse.Parameters()
                (p.pA, p.threshold, p.devices) = (dirProb, threshold, devices)
                out.append(.adir(p))
            } else {
                var p = DeviceImpulseResponse.Parameters()
                (p.dirProb, p.devices) = (dirProb, devices)
                out.append(.dir(p))
            }
        }
        if let p = foaSwapProb {
            var parameters = FOAChannelSwap.Parameters()
            parameters.p = p
            out.append(.channelSwap(parameters))
        }
        return out
    }
}

/// `OnlineWaveformAugmentation` as the stream's `WaveformTransform`: `AugmentedFeatures` with the store's
/// recorded pipeline (only the streamed feature), one per reader thread at a time from a pool.
public final class OnlineWaveformFeatures: WaveformTransform, @unchecked Sendable {
    public let name: String
    public let waveformColumn = "audio/waveform"
    public let followingColumns = ["targets/doa", "targets/adpit"]
    public let config: PipelineConfig
    let feature: String
    let bank: ImpulseResponseBank?
    /// `meta/device` per table row, when the chain restricts DIR/ADIR to devices.
    let devices: [String]?
    /// SELD targets' (frames, classes), from `targets/doa` [frames, tracks, classes, 3].
    let seld: (frames: Int, classes: Int)?
    private let lock = NSLock()
    private var idle: [AugmentedFeatures] = []

    /// Everything is checked here, before any batch: the waveform column, the recorded pipeline and
    /// its feature, the bank, the device column, FOA channels for a swap.
    public init(reader: StoreReader, feature: String, augmentation: OnlineWaveformAugmentation) throws {
        if let problem = augmentation.validationProblem { throw TrainError.invalidOptions(problem) }
        let path = reader.manifestURL.path
        let specs = Dictionary(reader.columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard specs[waveformColumn] != nil else {
            throw TrainError.invalidOptions("\(path): online waveform augmentation needs the column '\(waveformColumn)' (ingest with output.waveform: float32)")
        }
        let steps = augmentation.steps
        let config = try AugmentedFeatures.onlineConfig(of: reader, feature: feature, steps: steps)
        self.config = config
        self.feature = feature
        name = steps.map(\.name).joined(separator: "+")
        bank = try augmentation.bank.map { try AugmentedFeatures.impulseResponseBank(folder: URL(fileURLWithPath: $0), config: config) }
        if augmentation.bank != nil, augmentation.devices != nil {
            guard specs["meta/device"] != nil else {
                throw TrainError.invalidOptions("\(path): DIR for devices \(augmentation.devices!.joined(separator: ",")) needs 'meta/device', which this table does not have (pass every device)")
            }
            devices = try reader.readStrings("meta/device")
        } else {
            devices = nil
        }
        if let doa = specs["targets/doa"], doa.rowShape.count == 4 {
            seld = (doa.rowShape[0], doa.rowShape[2])
        } else {
            seld = nil
        }
        idle.append(try AugmentedFeatures(config: config, bank: bank))
    }

    public func features(of row: inout WaveformRow, seed: UInt64) throws -> [Float] {
        let worker = try take()
        defer { give(worker) }
        let result = try worker.compute(row.channels, device: devices?[row.row], seed: seed)
        guard let tensor = result.features[String(feature.dropFirst("features/".count))] else {
            throw TrainError.invalidOptions("online features: '\(feature)' was not computed")
        }
        for record in result.draws where record.augmentation == FOAChannelSwap.name {
            guard case .int(let number)? = record.columns.first(where: { $0.0 == "transform" })?.1 else { continue }
            guard let seld else { continue }
            var doa = row.columns["targets/doa"]
            var adpit = row.columns["targets/adpit"]
            AugmentedFeatures.rotate(doa: &doa, adpit: &adpit, classes: seld.classes, frames: seld.frames,
                                     transform: FOATransform(Int(number)))
            row.columns["targets/doa"] = doa
            row.columns["targets/adpit"] = adpit
        }
        return tensor.values
    }

    private func take() throws -> AugmentedFeatures {
        lock.lock()
        if let worker = idle.popLast() {
            lock.unlock()
            return worker
        }
        lock.unlock()
        return try AugmentedFeatures(config: config, bank: bank)
    }

    private func give(_ worker: AugmentedFeatures) {
        lock.lock()
        idle.append(worker)
        lock.unlock()
    }
}

extension OnlineWaveformAugmentation {
    /// `pipe train`'s flags as settings: nil when none is given; an error when a flag needs another
    /// one (`--dir-prob`, `--adir-threshold`, `--dir-devices` without `--dir`) or a value is out of range.
    public static func parse(bank: String?, dirProb: Double?, adirThreshold: Double?, devices: String?,
                             foaSwap: Double?) throws -> OnlineWaveformAugmentation? {
        if bank == nil {
            for (flag, given) in [("--dir-prob", dirProb != nil), ("--adir-threshold", adirThreshold != nil), ("--dir-devices", devices != nil)] where given {
                throw TrainError.invalidOptions("\(flag) needs --dir BANK_DIR")
            }
            guard foaSwap != nil else { return nil }
        }
        var list: [String]? = ["a"]
        if let devices {
            let names = devices.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            list = names == ["all"] ? nil : names
        }
        let settings = OnlineWaveformAugmentation(bank: bank, dirProb: dirProb ?? 0.6, adirThreshold: adirThreshold, devices: list,
                                            foaSwapProb: foaSwap)
        if let problem = settings.validationProblem { throw TrainError.invalidOptions(problem) }
        if let bank {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bank, isDirectory: &isFolder), isFolder.boolValue else {
                throw TrainError.invalidOptions("--dir \(bank): not a folder of impulse responses (*.wav)")
            }
        }
        return settings
    }
}
