import Foundation

/// The timing line after a run. A rate is printed only when every planned clip was computed in this
/// run: with shards kept from an earlier run, planned clips / wall time would claim thousands of
/// clips per second that were never computed.
public enum RunSummary {
    public static func timing(_ result: Ingest.Result) -> String {
        timing(wallSeconds: result.wallSeconds, planned: result.planned,
               written: result.shardsWritten, reused: result.shardsReused)
    }

    public static func timing(wallSeconds: Double, planned: Int, written: Int, reused: Int) -> String {
        let seconds = String(format: "%.1f s", wallSeconds)
        if written == 0 && reused > 0 {
            let shards = reused == 1 ? "the 1 shard" : "all \(reused) shards"
            return "\(seconds): \(shards) reused from an earlier run; nothing computed"
        }
        if reused > 0 {
            return "\(seconds): \(written) of \(written + reused) shards computed in this run (no clips/s for a partial run)"
        }
        return seconds + String(format: ", %.1f clips/s", Double(planned) / max(wallSeconds, 1e-9))
    }
}
