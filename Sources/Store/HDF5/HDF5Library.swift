import CHDF5
import Foundation

/// Process-wide HDF5 access: one lock, library initialisation, error-stack handling.
///
/// Every HDF5 call in this module runs inside `HDF5Library.locked`. The Debian build advertises
/// thread safety in some configurations and not in others; a single recursive lock makes the
/// module correct either way and costs nothing for the one-writer-thread design. The lock is
/// recursive because handle deinitialisers close their identifiers under the lock and may run
/// while a locked operation releases its temporaries.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs `body` with the HDF5 lock held, after making sure the library is initialised (without
    /// its exit handler, see `ap_H5open` in the CHDF5 shim) and automatic error printing is off.
    ///
    /// `H5Eset_auto2` is called every time because in thread-safe builds the setting belongs to
    /// the calling thread's error stack, and a new thread starts with printing switched on.
    @discardableResult
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        ap_H5open()
        H5Eset_auto2(ap_H5E_DEFAULT(), nil, nil)
        return try body()
    }

    /// The linked HDF5 library version as "major.minor.release" (e.g. "1.10.8").
    static func version() -> String {
        locked {
            var major: UInt32 = 0
            var minor: UInt32 = 0
            var release: UInt32 = 0
            guard H5get_libversion(&major, &minor, &release) >= 0 else { return "unknown" }
            return "\(major).\(minor).\(release)"
        }
    }

    /// Collects the messages on the current HDF5 error stack, innermost call last, and clears it.
    ///
    /// HDF5 reports failures by pushing records on a stack instead of returning a reason; reading
    /// it here is what lets `StoreError.hdf5` say "unable to open file" rather than just "-1".
    static func drainErrorStack() -> String {
        final class Collector { var messages: [String] = [] }
        let collector = Collector()
        let walker: H5E_walk2_t = { _, record, clientData in
            guard let record, let clientData else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(clientData).takeUnretainedValue()
            let function = record.pointee.func_name.map { String(cString: $0) } ?? "?"
            // Some descriptions span lines (the sec2 driver's write failure embeds a ctime()):
            // one line per record keeps the error a single readable message.
            let detail = (record.pointee.desc.map { String(cString: $0) } ?? "")
                .split(whereSeparator: \.isNewline).joined(separator: " ")
            collector.messages.append("\(function): \(detail)")
            return 0
        }
        let context = Unmanaged.passUnretained(collector).toOpaque()
        _ = withExtendedLifetime(collector) {
            H5Ewalk2(ap_H5E_DEFAULT(), H5E_WALK_UPWARD, walker, context)
        }
        H5Eclear2(ap_H5E_DEFAULT())
        return collector.messages.isEmpty ? "no HDF5 error record" : collector.messages.joined(separator: "; ")
    }
}

/// Turns a negative HDF5 return code into `StoreError.hdf5`, naming the call and the file.
///
/// HDF5 signals failure with a negative `herr_t`, `hid_t`, `htri_t` or `ssize_t`; every call in
/// this module goes through here so no status is silently dropped. Must be called with the HDF5
/// lock held (it reads the error stack).
@discardableResult
func check<T: BinaryInteger>(_ result: T, call: String, file: String) throws -> T {
    guard result >= 0 else {
        throw StoreError.hdf5(call: call, path: file, reason: HDF5Library.drainErrorStack())
    }
    return result
}
