import Foundation

/// Reports progress on standard error: a redrawn bar with rate and ETA on a terminal (fitted to its
/// width, see `ProgressLine`), plain lines (at most one every few seconds) when the output is a
/// file or a CI log.
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
        if style == .bar && lastDraw > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    func draw(now: UInt64) {
        guard style != .silent else { return }
        let line = ProgressLine(label: label, done: done, total: total, rejected: rejected,
                                elapsed: Double(now - started) / 1e9)
        switch style {
        case .bar: FileHandle.standardError.write(Data(line.redraw(columns: TerminalWidth.standardError()).utf8))
        default: FileHandle.standardError.write(Data((line.logLine + "\n").utf8))
        }
    }
}
