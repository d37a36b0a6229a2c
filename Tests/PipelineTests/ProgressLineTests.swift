import Pipeline
import XCTest

/// The progress bar's text as a pure function: it fits the terminal and erases what it replaces.
final class ProgressLineTests: XCTestCase {
    let line = ProgressLine(label: "ingest", done: 25, total: 100, rejected: 1, elapsed: 10)

    func testTheBarFitsEveryWidthWithoutTouchingTheLastColumn() {
        for columns in [1, 5, 20, 40, 60, 79, 80, 120, 300] {
            let text = line.bar(columns: columns)
            XCTAssertLessThanOrEqual(text.count, max(columns - 1, 1), "\(columns): \(text)")
            XCTAssertFalse(text.contains("\n") || text.contains("\r"), text)
        }
    }

    func testWideTerminalsGetTheFullBarAndNumbers() {
        let text = line.bar(columns: 120)
        XCTAssertEqual(text, "ingest [#######.......................] 25%  25/100 clips  2.5 clips/s  ETA 0:30  rejected 1")
    }

    /// A narrower terminal shrinks the bar first, then drops it; the numbers are cut last.
    func testNarrowTerminalsShrinkThenDropTheBar() {
        let numbers = "25%  25/100 clips  2.5 clips/s  ETA 0:30  rejected 1"
        let shrunk = line.bar(columns: 80)
        XCTAssertTrue(shrunk.hasPrefix("ingest [") && shrunk.hasSuffix("] " + numbers), shrunk)
        XCTAssertEqual(shrunk.count, 79)
        let noBar = line.bar(columns: 66)
        XCTAssertEqual(noBar, "ingest " + numbers)
        XCTAssertEqual(line.bar(columns: 21), String(("ingest " + numbers).prefix(20)))
    }

    /// Each redraw returns to the line's start and erases to its end: a shorter line (ETA 10:00 → 9:59,
    /// a narrower window) leaves no characters of the previous one.
    func testRedrawClearsWhatItOverwrites() {
        let text = line.redraw(columns: 80)
        XCTAssertTrue(text.hasPrefix("\r"), text)
        XCTAssertTrue(text.hasSuffix("\u{1B}[K"), text)
        XCTAssertEqual(text.dropFirst().dropLast(3).count, 79)
    }

    func testLogLinesHaveNoControlCharacters() {
        XCTAssertEqual(line.logLine, "ingest: 25%  25/100 clips  2.5 clips/s  ETA 0:30  rejected 1")
    }

    func testWidthFallsBackToColumnsThenEighty() {
        XCTAssertEqual(TerminalWidth.fallback(environment: ["COLUMNS": "132"]), 132)
        XCTAssertEqual(TerminalWidth.fallback(environment: ["COLUMNS": "wide"]), 80)
        XCTAssertEqual(TerminalWidth.fallback(environment: ["COLUMNS": "0"]), 80)
        XCTAssertEqual(TerminalWidth.fallback(environment: [:]), 80)
    }

    /// A run that reuses every shard says so instead of a rate over clips it never computed.
    func testTimingLineOfAFullyResumedRunHasNoRate() {
        XCTAssertEqual(RunSummary.timing(wallSeconds: 0.42, planned: 300, written: 0, reused: 2),
                       "0.4 s: all 2 shards reused from an earlier run; nothing computed")
        XCTAssertEqual(RunSummary.timing(wallSeconds: 0.42, planned: 3, written: 0, reused: 1),
                       "0.4 s: the 1 shard reused from an earlier run; nothing computed")
        XCTAssertEqual(RunSummary.timing(wallSeconds: 2, planned: 300, written: 1, reused: 2),
                       "2.0 s: 1 of 3 shards computed in this run (no clips/s for a partial run)")
        XCTAssertEqual(RunSummary.timing(wallSeconds: 2, planned: 300, written: 3, reused: 0), "2.0 s, 150.0 clips/s")
    }
}
