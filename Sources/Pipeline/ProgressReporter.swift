import Foundation

/// Reports progress on standard error: a redrawn bar with rate and ETA on a terminal, plain lines
/// (at most one every few seconds) when the output is a file or a CI log.
public final class ProgressReporter: @unchecked Sendable {
    public enum Style: Sendable { case automatic, bar, lines, silent }

    let total: Int
    let label: String
    let style: Style
    let started = DispatchTime.now().uptimeNanoseconds
    var lastDraw: UInt64 = 0
    var done = 0
    var rejected = 0
    let lock = NSLock()

    public init(total: Int, label: String, style: Style = .automatic) {
        self.total = total
        self.label = label
        switch style {
        case .automatic: self.style = isatty(STDERR_FILENO) != 0 ? .bar : .lines
        default: self.style = style
        }
    }

    public func advance(rejected wasRejected: Bool) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if wasRejected { rejected += 1 }
        let now = DispatchTime.now().uptimeNanoseconds
        let interval: UInt64 = style == .bar ? 100_000_000 : 5_000_000_000
        if done == total || now - lastDraw >= interval {
            lastDraw = now
            draw(now: now)
        }
    }

    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if style == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    func draw(now: UInt64) {
        guard style != .silent else { return }
        let elapsed = Double(now - started) / 1e9
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let percent = total > 0 ? 100 * done / total : 100
        let stats = String(format: "%d/%d clips  %.1f clips/s  ETA %@  rejected %d",
                           done, total, rate, Self.clock(remaining), rejected)
        switch style {
        case .bar:
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)%  \(stats)".utf8))
        default:
            FileHandle.standardError.write(Data("\(label): \(percent)%  \(stats)\n".utf8))
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
