import Foundation

/// Runs gnuplot (Debian's `gnuplot-nox`, installed by `make deps`) on a script, writing each plot
/// as PNG and SVG. A well-kept plotting tool rather than a hand-written rasteriser: axes, ticks,
/// fonts and the SVG text are gnuplot's.
///
/// The script is passed on stdin and the data in files beside it, so nothing is quoted through a
/// shell; the PNG and SVG are written to temporary names and renamed, so a failed run leaves no
/// half-written image.
public enum Gnuplot {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The gnuplot executable on PATH, or nil.
    public static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Writes `<base>.png` and `<base>.svg` from `body` (gnuplot commands after the terminal and
    /// output are set) and returns the two files.
    @discardableResult
    public static func plot(_ body: String, to base: URL, size: (width: Int, height: Int) = (800, 500)) throws -> [URL] {
        guard let gnuplot = executable else {
            throw Failure(path: base.path, reason: "gnuplot not found on PATH (make deps installs gnuplot-nox)")
        }
        var written: [URL] = []
        for (terminal, ext) in [("pngcairo size \(size.width),\(size.height) font 'sans,10'", "png"),
                                ("svg size \(size.width),\(size.height) font 'sans,10' background rgb 'white'", "svg")] {
            let file = base.appendingPathExtension(ext)
            let temporary = base.deletingLastPathComponent().appendingPathComponent(".\(base.lastPathComponent).\(ext).tmp")
            let script = "set terminal \(terminal)\nset output \(quoted(temporary.path))\n\(body)\nunset output\n"
            let process = Process()
            process.executableURL = gnuplot
            process.arguments = []
            let input = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(script.utf8))
            try input.fileHandleForWriting.close()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: temporary.path) else {
                try? FileManager.default.removeItem(at: temporary)
                throw Failure(path: file.path, reason: "gnuplot failed: " + String(decoding: message, as: UTF8.self))
            }
            if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            try FileManager.default.moveItem(at: temporary, to: file)
            written.append(file)
        }
        return written
    }

    /// A gnuplot string literal (single quotes; a quote doubled).
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
