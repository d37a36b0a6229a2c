/// Keeps freed memory in the process for reuse (glibc: no mmap for large blocks, no trimming).
///
/// Why: every CNN layer returns fresh map-sized arrays (64 MB for a batch of 32 [16, 501, 64]
/// maps). glibc serves blocks that large with mmap and unmaps them on free, so each pass paid one
/// page fault per 4 KiB written again. From the process heap the same blocks are reused without
/// faults; the price is that the peak stays allocated until the process ends, which for a training
/// or prediction run is its working set anyway. Called by the trainer, the predictor and the benchmark.
enum HeapReuse {
    static func enable() {
        #if os(Linux)
        // malloc.h's M_MMAP_MAX (-4) and M_TRIM_THRESHOLD (-1); Swift's Glibc module does not export mallopt.
        _ = glibcMallopt(-4, 0)
        _ = glibcMallopt(-1, Int32.max)
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
