import Foundation

/// Reader threads that read one epoch's batches ahead into a bounded, ordered queue.
///
/// Batch `k` may be read by any thread, but batches leave in order 0, 1, 2, …; a thread takes a new
/// batch only while fewer than `depth` are read-or-being-read and not yet taken, so at most `depth`
/// batches' buffers exist at once (memory ≤ depth × batch bytes). Order and content do not depend
/// on the thread count: each batch is a function of its index alone.
final class Prefetcher: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let depth: Int
    private var nextToRead: Int
    private var nextToTake: Int
    private var outstanding = 0
    private var results: [Int: Result<Batch, Error>] = [:]
    private var stopped = false
    private var running: Int
    /// The most batches held at once (read or being read, not yet taken): the memory bound's witness.
    private var peak = 0
    var peakOutstanding: Int {
        condition.lock()
        defer { condition.unlock() }
        return peak
    }

    init(first: Int, count: Int, depth: Int, threads: Int, read: @escaping @Sendable (Int) throws -> Batch) {
        self.count = count
        self.depth = depth
        nextToRead = first
        nextToTake = first
        running = threads
        for n in 0..<threads {
            let thread = Thread { [self] in self.work(read) }
            thread.name = "stream-reader-\(n)"
            thread.start()
        }
    }

    private func work(_ read: (Int) throws -> Batch) {
        while true {
            condition.lock()
            while !stopped, nextToRead < count, outstanding >= depth { condition.wait() }
            guard !stopped, nextToRead < count else {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = nextToRead
            nextToRead += 1
            outstanding += 1
            peak = max(peak, outstanding)
            condition.unlock()
            let result = Result { try read(index) }
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch in order, waiting for it; nil after the epoch's last.
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToTake < count else { return nil }
        while results[nextToTake] == nil { condition.wait() }
        // A failed read stays failed: the stream must not skip a batch and carry on.
        if case let .failure(error) = results[nextToTake]! { throw error }
        let result = results.removeValue(forKey: nextToTake)!
        nextToTake += 1
        outstanding -= 1
        condition.broadcast()
        return try result.get()
    }

    /// Stops the threads (after the batch each is reading) and waits for them to end, so no thread
    /// outlives the stream reading a file.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        results.removeAll()
        condition.unlock()
    }
}
