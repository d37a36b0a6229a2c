import Corpora
import Features
import Foundation
import Randomness
import TextTables

/// Milliseconds per 10-s clip on one core for every representation of the given pipelines, and for
/// each pipeline's whole set — the per-representation part of `make bench` (measured, never asserted).
public enum RepresentationBenchmark {
    public struct Row {
        public var pipeline: String
        public var representation: String
        public var milliseconds: Double
    }

    public static func run(pipelines: [PipelineConfig], repeats: Int = 5) throws -> [Row] {
        var rows: [Row] = []
        for config in pipelines {
            let seconds = config.audio.duration ?? 10
            var waveforms: [Int: [[Float]]] = [:]
            for spec in config.features {
                let extractor = spec.makeExtractor()
                let rate = extractor.sampleRate
                if waveforms[rate] == nil { waveforms[rate] = testClip(channels: channelCount(config), rate: rate, seconds: seconds) }
                let ms = try FeatureTiming.measure(extractor, clip: waveforms[rate]!, repeats: repeats)
                rows.append(Row(pipeline: config.name, representation: "\(spec.name) (\(spec.kind))", milliseconds: ms))
            }
            if config.features.count > 1 {
                // The whole set as a worker computes it: shared STFTs, mel spectra and log-mels.
                let worker = FeatureSet(config.features).makeWorker()
                _ = try worker.extract(waveforms)
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats { _ = try worker.extract(waveforms) }
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repeats)
                rows.append(Row(pipeline: config.name, representation: "all \(config.features.count), one FeatureSet", milliseconds: ms))
            }
        }
        return rows
    }

    public static func table(_ rows: [Row]) -> String {
        TextTable.render(header: ["pipeline", "representation", "ms per clip (1 core)"],
                         rows: rows.map { [$0.pipeline, $0.representation, String(format: "%.2f", $0.milliseconds)] },
                         rightAligned: [2])
    }

    static func channelCount(_ config: PipelineConfig) -> Int {
        switch config.audio.channels {
        case .mono: return 1
        case .select(let indices): return indices.count
        case .keep: return config.audio.expectChannels?.first ?? 1
        }
    }

    /// Noise plus a tone, different in every channel, at `rate`.
    static func testClip(channels: Int, rate: Int, seconds: Double) -> [[Float]] {
        let n = Int(seconds * Double(rate))
        return (0..<channels).map { c in
            var rng = SplitMix64(seed: UInt64(c), key: "representation-bench")
            return (0..<n).map { t in
                Float(0.1 * rng.nextSigned() + 0.2 * sin(2 * Double.pi * Double(440 * (c + 1)) * Double(t) / Double(rate)))
            }
        }
    }
}
