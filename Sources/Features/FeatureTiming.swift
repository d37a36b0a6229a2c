import DSP
import Foundation

/// Wall-clock cost of an extractor on one clip, for the accuracy/speed tables (never asserted:
/// machines differ). One worker on the calling thread with single-threaded BLAS, i.e. one core,
/// as a pipeline worker runs; the first (warm-up) call, which grows the worker's buffers, is not counted.
public enum FeatureTiming {
    /// Milliseconds per clip, the mean over `repeats` runs after one warm-up run.
    public static func measure(_ extractor: any FeatureExtractor, clip: [[Float]], repeats: Int) throws -> Double {
        BLAS.useSingleThread()
        let worker = extractor.makeWorker()
        _ = try worker.extract(clip)
        let runs = max(repeats, 1)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<runs { _ = try worker.extract(clip) }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        return Double(elapsed) / 1e6 / Double(runs)
    }
}
