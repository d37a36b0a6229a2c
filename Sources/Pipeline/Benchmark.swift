import AudioIO
import Corpora
import DSP
import Features
import Foundation
import Randomness
import TextTables

/// `make bench`: speed and memory of the default ingest pipeline on clips like TAU 2020 device A
/// (10 s, 48 kHz, stereo, 24-bit), measured, never asserted.
public enum Benchmark {
    public struct Report: CustomStringConvertible {
        public var clips: Int
        public var threads: Int
        public var wallSeconds: Double
        public var peakResidentMiB: Double
        /// Single-thread milliseconds per clip for each stage, measured in isolation.
        public var stageMilliseconds: [(String, Double)]
        /// Stage time summed over the workers during the end-to-end run, per clip.
        public var pipelineStageMilliseconds: [(String, Double)]

        public var clipsPerSecond: Double { Double(clips) / wallSeconds }

        public var description: String {
            var lines: [String] = []
            lines.append("end to end: \(clips) clips, \(threads) threads: "
                         + String(format: "%.2f s, %.1f clips/s, peak RSS %.0f MiB", wallSeconds, clipsPerSecond, peakResidentMiB))
            lines.append("single-thread stage costs (ms per clip):")
            let floor = stageMilliseconds.filter { !$0.0.hasPrefix("(") }.reduce(0) { $0 + $1.1 }
            lines += Self.stageLines(stageMilliseconds + [("sum (floor)", floor)])
            let perClipPerCore = wallSeconds * 1000 * Double(threads) / Double(clips)
            lines.append(String(format: "end to end per clip per core: %.2f ms = %.2f x the floor", perClipPerCore, perClipPerCore / floor))
            lines.append("inside the run, summed over workers (ms per clip):")
            lines += Self.stageLines(pipelineStageMilliseconds)
            return lines.joined(separator: "\n")
        }

        /// `  name   12.34` lines, names left- and milliseconds right-aligned.
        static func stageLines(_ stages: [(String, Double)]) -> [String] {
            TextTable.lines(rows: stages.map { [$0.0, String(format: "%.2f", $0.1)] }, rightAligned: [1], indent: "  ")
        }
    }

    /// Generates `clips` bench clips under `work/audio` (kept between runs), measures each stage
    /// alone, then runs the default pipeline end to end on `threads` workers.
    public static func run(clips: Int, threads: Int, work: URL, pipeline: PipelineConfig) throws -> Report {
        // One folder per clip count: the end-to-end run ingests the whole folder.
        let audioRoot = work.appendingPathComponent("audio-\(clips)")
        let paths = try makeClips(count: clips, in: audioRoot)

        // Stages alone, one thread.
        BLAS.useSingleThread()
        let sample = Array(paths.prefix(20))
        let resampler = try pipeline.audio.resampler.makeResampler()
        let extractors = pipeline.features.map { $0.makeExtractor() }
        let workers = extractors.map { $0.makeWorker() }
        var decodeSeconds = 0.0, resampleSeconds = 0.0
        var readBuffer: [Float] = []
        var featureSeconds = [Double](repeating: 0, count: extractors.count)
        for path in sample {
            var t = DispatchTime.now().uptimeNanoseconds
            func lap() -> Double {
                let now = DispatchTime.now().uptimeNanoseconds
                defer { t = now }
                return Double(now - t) / 1e9
            }
            let mono = try AudioDecoder.decode(URL(fileURLWithPath: path), channels: pipeline.audio.channels,
                                               scratch: &readBuffer).buffer
            decodeSeconds += lap()
            var audio = try mono.resampled(to: pipeline.audio.sampleRate, with: resampler)
            if let n = pipeline.audio.targetLength { audio = audio.fixedLength(n) }
            resampleSeconds += lap()
            for (i, worker) in workers.enumerated() {
                _ = try worker.extract(audio.channels)
                featureSeconds[i] += lap()
            }
        }
        let n = Double(sample.count)
        var stages: [(String, Double)] = [("decode + mix (libsndfile)", decodeSeconds / n * 1000),
                                          ("resample (\(pipeline.audio.resampler.resType))", resampleSeconds / n * 1000)]
        for (i, extractor) in extractors.enumerated() {
            stages.append(("feature \(extractor.name)", featureSeconds[i] / n * 1000))
        }

        // End to end.
        var config = pipeline
        config.inputs = InputSpec(corpora: ["folder"], paths: ["folder": audioRoot.path])
        let store = work.appendingPathComponent("store")
        try? FileManager.default.removeItem(at: store)
        let result = try Ingest.run(Ingest.Request(config: config, output: store, threads: threads, progress: .silent))
        let perClip = { (seconds: Double) in seconds / Double(clips) * 1000 }
        let inside: [(String, Double)] = [("decode + checks + mix", perClip(result.times.decode)),
                                          ("resample + fix_length", perClip(result.times.resample)),
                                          ("features", perClip(result.times.features)),
                                          ("write (writer thread)", perClip(result.times.write))]
        return Report(clips: result.planned, threads: threads, wallSeconds: result.wallSeconds,
                      peakResidentMiB: peakResidentMiB(), stageMilliseconds: stages, pipelineStageMilliseconds: inside)
    }

    /// The folder of `count` bench clips under `work` (`audio-<count>`), generated where missing.
    public static func clipFolder(count: Int, work: URL) throws -> URL {
        let root = work.appendingPathComponent("audio-\(count)")
        _ = try makeClips(count: count, in: root)
        return root
    }

    /// Peak resident set size of this process so far.
    public static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
    }

    /// 10-s 48 kHz stereo 24-bit clips of band-limited noise and tones, in 10 class folders.
    static func makeClips(count: Int, in root: URL) throws -> [String] {
        var paths: [String] = []
        let rate = 48_000, frames = 480_000
        for i in 0..<count {
            let folder = root.appendingPathComponent(String(format: "class%02d", i % 10))
            let url = folder.appendingPathComponent(String(format: "clip%05d.wav", i))
            paths.append(url.path)
            if FileManager.default.fileExists(atPath: url.path) { continue }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var rng = SplitMix64(seed: UInt64(i), key: "bench")
            let f0 = 200.0 * Double(1 + i % 10)
            var channels = [[Float]](repeating: [Float](repeating: 0, count: frames), count: 2)
            var smooth = 0.0
            for t in 0..<frames {
                smooth = 0.9 * smooth + 0.1 * rng.nextSigned()
                let tone = 0.2 * sin(2 * Double.pi * f0 * Double(t) / Double(rate))
                channels[0][t] = Float(0.3 * smooth + tone)
                channels[1][t] = Float(0.3 * smooth - tone * 0.5)
            }
            try AudioFileWriter.write(AudioBuffer(sampleRate: rate, channels: channels), to: url, format: .pcm24)
        }
        return paths
    }
}
