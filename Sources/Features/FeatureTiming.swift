import DSP
import Foundation

/// Wall-clock cost of one representation, for `make bench` and test output (never asserted:
/// timings depend on the machine and its load).
public enum FeatureTiming {
    /// Mean milliseconds per clip over `repeats` runs on one worker, after one untimed warm-up
    /// run (which grows the worker's scratch buffers). Returns `.nan` if extraction fails.
    /// OpenBLAS is switched to one thread first, as in the pipeline: otherwise its idle threads
    /// spin in `sched_yield` and the numbers measure the scheduler.
    public static func measure(_ extractor: any FeatureExtractor, clip: [[Float]], repeats: Int) -> Double {
        BLAS.useSingleThread()
        let worker = extractor.makeWorker()
        guard (try? worker.extract(clip)) != nil else { return .nan }
        let runs = max(1, repeats)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<runs { _ = try? worker.extract(clip) }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        return Double(elapsed) / 1e6 / Double(runs)
    }
}
