import Dispatch

/// Runs independent work items on up to `threads` threads. Determinism is the caller's: each item
/// writes only its own output, and anything summed across items is summed afterwards in item
/// order, so results never depend on `threads`.
struct Parallel: Sendable {
    var threads: Int

    init(threads: Int) { self.threads = max(1, threads) }

    /// Calls `body(item, worker)` for every item in 0..<count; `worker` (0..<threads) names the
    /// calling thread so it can use its own scratch buffer.
    func run(_ count: Int, _ body: (_ item: Int, _ worker: Int) -> Void) {
        let workers = min(threads, count)
        if workers <= 1 {
            for item in 0..<count { body(item, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var item = worker
                while item < count {
                    body(item, worker)
                    item += workers
                }
            }
        }
    }

    /// Fixed groups of a batch for gradient sums: `groups` is a function of the batch size only,
    /// never of the thread count, so the order of every floating-point sum is fixed.
    static func groups(batch: Int) -> [Range<Int>] {
        let count = min(batch, 4)
        return (0..<count).map { g in (g * batch / count)..<((g + 1) * batch / count) }
    }
}
