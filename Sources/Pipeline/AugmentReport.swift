import Augment
import Foundation
import Store

/// `reports/augment.json`, written from the complete shards just before the manifest (which lists
/// it with its SHA-256): per augmentation, how many augmented rows it was applied to, and for ADIR
/// the energy definition, the threshold and the observed mean of E(x) over the augmented rows, so
/// the paper's "average value of 323" can be checked against the corpus (features.md §7.2).
public enum AugmentReport {
    static let file = "reports/augment.json"

    struct Step: Encodable {
        var augmentation: String
        var parameters: AugmentStep
        var rows: Int
        var applied: Int?
        var energy: String?
        var threshold: Double?
        var observedMeanEnergy: Double?
        var observedMinEnergy: Double?
        var observedMaxEnergy: Double?
        enum CodingKeys: String, CodingKey {
            case augmentation, parameters, rows, applied, energy, threshold
            case observedMeanEnergy = "observed_mean_energy", observedMinEnergy = "observed_min_energy", observedMaxEnergy = "observed_max_energy"
        }
    }

    struct Report: Encodable {
        var variants: Int
        var augmentedRows: Int
        var steps: [Step]
        enum CodingKeys: String, CodingKey { case variants, augmentedRows = "augmented_rows", steps }
    }

    /// Reads the draw columns of every shard and writes the report; returns its path in the store.
    static func write(folder: StoreFolder, augment: AugmentConfig) throws -> String {
        var variantColumn: [Int32] = []
        var columns: [String: [Double]] = [:]
        let names = WaveformChain.columns(of: augment.steps)
        for shard in folder.plan.shards {
            // A shard whose every row was rejected has no file (its sidecar records 0 rows).
            let url = folder.layout.shardURL(shard.name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let reader = try ShardReader(url: url)
            variantColumn += try reader.readInt32("meta/variant")
            for (name, isInteger) in names {
                let values: [Double] = isInteger ? try reader.readInt64(name).map(Double.init)
                    : try reader.readColumn(name).map { if case .float32(let v) = $0 { return Double(v[0]) } else { return .nan } }
                columns[name, default: []] += values
            }
        }
        let augmented = variantColumn.indices.filter { variantColumn[$0] > 0 }
        var steps: [Step] = []
        for step in augment.steps {
            let prefix = "aug/\(step.name)/"
            var s = Step(augmentation: step.name, parameters: step, rows: augmented.count)
            if let applied = columns[prefix + "applied"] { s.applied = augmented.filter { applied[$0] == 1 }.count }
            if case .channelSwap = step, let t = columns[prefix + "transform"] { s.applied = augmented.filter { t[$0] != 0 }.count }
            if case .adir(let p) = step, let e = columns[prefix + "energy"] {
                let energies = augmented.map { e[$0] }.filter(\.isFinite)
                s.energy = p.energy.rawValue
                s.threshold = p.threshold
                if !energies.isEmpty {
                    s.observedMeanEnergy = energies.reduce(0, +) / Double(energies.count)
                    s.observedMinEnergy = energies.min()
                    s.observedMaxEnergy = energies.max()
                }
            }
            steps.append(s)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(Report(variants: augment.variants, augmentedRows: augmented.count, steps: steps))
        try FileManager.default.createDirectory(at: folder.layout.reportsDirectory, withIntermediateDirectories: true)
        try folder.write(data, to: folder.layout.root.appendingPathComponent(file))
        return file
    }
}
