import Foundation

/// glibc's heap settings for this process, in one place because they are process-wide: the stream
/// and the CNN each want large freed blocks kept for reuse, and two modules setting `mallopt` on
/// their own would undo each other in whichever order they ran.
///
/// Levels only rise (`batches` < `everything`), so a stream made after the trainer asked for
/// `everything` does not lower the trim threshold again.
public enum ProcessHeap {
    public enum Reuse: Int, Comparable {
        /// Batch-sized buffers (up to 64 MB) from the heap, up to 256 MB of freed memory kept.
        /// Why: a [64, 1, 501, 64] float32 batch is 8 MB, above glibc's mmap threshold, so every
        /// batch was a new mapping (2,000 page faults to fill it and a `munmap` with a TLB
        /// shootdown across the process's threads when the trainer dropped it). Measured with
        /// `pipe bench-stream` on 4,096 rows: with the default, 2 reader threads ran at half the
        /// rate of 1 (6,964–13,917 against 13,999–29,573 clips/s); with these thresholds, 2 readers
        /// ran at 13,698–19,508 against 1 reader's 15,115–27,500.
        case batches = 1
        /// Every block from the heap and nothing trimmed. Why: each CNN layer returns fresh
        /// map-sized arrays (64 MB for a batch of 32 [16, 501, 64] maps), which glibc would map and
        /// unmap on every pass, one page fault per 4 KiB written again; from the heap they are
        /// reused without faults. The peak stays allocated until the process ends, which for a
        /// training or prediction run is its working set anyway.
        case everything = 2

        public static func < (a: Reuse, b: Reuse) -> Bool { a.rawValue < b.rawValue }
    }

    private static let lock = NSLock()
    private static var level: Reuse?

    /// Raises the process's heap reuse to `reuse` (no effect when it is there already or higher).
    public static func keep(_ reuse: Reuse) {
        lock.lock()
        defer { lock.unlock() }
        if let level, level >= reuse { return }
        level = reuse
        #if os(Linux)
        // malloc.h's M_TRIM_THRESHOLD (-1), M_MMAP_THRESHOLD (-3) and M_MMAP_MAX (-4): Swift's
        // Glibc module does not export <malloc.h>.
        switch reuse {
        case .batches:
            _ = glibcMallopt(-3, 64 << 20)
            _ = glibcMallopt(-1, 256 << 20)
        case .everything:
            _ = glibcMallopt(-4, 0)
            _ = glibcMallopt(-1, Int32.max)
        }
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
