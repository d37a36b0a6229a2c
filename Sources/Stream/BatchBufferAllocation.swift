#if canImport(Glibc)
import Glibc
#endif

/// Keeps batch-sized buffers in the malloc heap instead of fresh `mmap`s, once per process.
///
/// Why: a [64, 1, 501, 64] float32 batch is 8 MB, above glibc's mmap threshold, so every batch was
/// a new mapping — 2,000 page faults to fill it and a `munmap` (with a TLB shootdown across the
/// process's threads) when the trainer dropped it. Measured with `pipe bench-stream` on 4,096 rows:
/// with the default, 2 reader threads ran at half the rate of 1 (6,964–13,917 against
/// 13,999–29,573 clips/s); with mmap threshold 64 MB and trim threshold 256 MB (`GLIBC_TUNABLES`),
/// 2 readers ran at 13,698–19,508 against 1 reader's 15,115–27,500. The cost: up to the trim
/// threshold of freed memory stays mapped in the process until reused.
enum BatchBufferAllocation {
    static let configured: Bool = {
        #if canImport(Glibc)
        // Glibc's Swift module does not export <malloc.h>: `mallopt` is found by name (RTLD_DEFAULT
        // is a null handle in glibc), with M_MMAP_THRESHOLD (-3) and M_TRIM_THRESHOLD (-1) from there.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 64 << 20)
        _ = mallopt(-1, 256 << 20)
        #endif
        return true
    }()
}
