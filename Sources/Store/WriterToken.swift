import Foundation

/// A name for this process among every process that writes into a store folder: host, pid and a
/// random part, e.g. "node07-48213-9f3a1c2e".
///
/// Temporary files carry it (`part-00003.h5.node07-48213-9f3a1c2e.tmp`), so two writers on one
/// shared folder — two workers of a partitioned run, or two nodes of a cluster — never write,
/// rename or delete each other's temporary files. The random part covers pid reuse across hosts
/// that report the same name.
public enum WriterToken {
    public static let current: String = {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let safeHost = String(host.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(safeHost.isEmpty ? "host" : safeHost)-\(ProcessInfo.processInfo.processIdentifier)-\(random)"
    }()

    /// "pid 48213 on node07", for messages about who holds a lock.
    public static var holderDescription: String {
        "pid \(ProcessInfo.processInfo.processIdentifier) on \(ProcessInfo.processInfo.hostName)"
    }

    /// `path.<token>-<n>.tmp`: a temporary sibling of `path` that no other writer uses — not another
    /// process (the token) and not another thread of this one (`n` counts the calls).
    static func temporaryPath(for path: String) -> String {
        counterLock.lock()
        counter += 1
        let n = counter
        counterLock.unlock()
        return "\(path).\(current)-\(n).tmp"
    }

    private static let counterLock = NSLock()
    nonisolated(unsafe) private static var counter = 0
}
