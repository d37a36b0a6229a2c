/// The text of one progress report, as a pure function of the counts and the terminal width, so its
/// layout is tested without a terminal or a clock.
public struct ProgressLine: Equatable, Sendable {
    public var label: String
    public var done: Int
    public var total: Int
    public var rejected: Int
    /// Seconds since the run started.
    public var elapsed: Double

    public init(label: String, done: Int, total: Int, rejected: Int, elapsed: Double) {
        self.label = label
        self.done = done
        self.total = total
        self.rejected = rejected
        self.elapsed = elapsed
    }

    /// The widest bar drawn, and the narrowest worth drawing (below it, the bar is left out).
    static let maximumBarWidth = 30, minimumBarWidth = 8

    var percent: Int { total > 0 ? 100 * done / total : 100 }

    var stats: String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        return "\(done)/\(total) clips  \(Self.format(rate)) clips/s  ETA \(Self.clock(remaining))  rejected \(rejected)"
    }

    /// A redrawn bar that fits in `columns` terminal columns: it never writes the last column (which
    /// makes many terminals wrap), shrinks the bar and then drops it before it cuts the numbers, and
    /// cuts the numbers only when even they do not fit.
    public func bar(columns: Int) -> String {
        let room = max(columns - 1, 1)
        let tail = "] \(percent)%  \(stats)"
        let head = "\(label) ["
        let barWidth = min(Self.maximumBarWidth, room - head.count - tail.count)
        let text: String
        if barWidth >= Self.minimumBarWidth {
            let filled = total > 0 ? barWidth * done / total : barWidth
            text = head + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + tail
        } else {
            text = "\(label) \(percent)%  \(stats)"
        }
        return String(text.prefix(room))
    }

    /// What is written to the terminal to replace the previous bar: back to the line's start, the
    /// new text, then erase to the end of the line, so a shorter line leaves no stale characters.
    public func redraw(columns: Int) -> String {
        "\r" + bar(columns: columns) + "\u{1B}[K"
    }

    /// One line of a log (a file or CI output): no width limit, no control characters.
    public var logLine: String {
        "\(label): \(percent)%  \(stats)"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let minutes = s / 60, rest = s % 60
        return "\(minutes):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
