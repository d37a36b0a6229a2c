import Foundation

/// The width of the terminal standard error is shown on: the kernel's window size (TIOCGWINSZ),
/// else `$COLUMNS`, else 80. Asked again at each redraw, so resizing the window during a run works.
public enum TerminalWidth {
    public static func standardError(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return fallback(environment: environment)
    }

    /// `$COLUMNS` when it is a positive number, else 80.
    public static func fallback(environment: [String: String]) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        return 80
    }
}
