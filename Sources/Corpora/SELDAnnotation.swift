import Foundation

/// A SELD metadata CSV read line by line (datasets.md §6.1): no header, comma-separated integers
/// `frame,class,source,azimuth,elevation` (a sixth column, STARSS23's distance, is read past).
///
/// A bad line costs that line, never the recording: each is an issue naming the file and line. The
/// README's example rows have spaces after the commas (the real files have none); spaces around a
/// number are not part of it and are read past. A frame past the end of the audio, an unknown class,
/// an angle outside its range and a fourth simultaneous event of one frame (the targets hold three
/// tracks) are refused.
public struct SELDAnnotation: Sendable {
    public var events: [SELDEvent]
    public var issues: [CorpusIssue]

    /// The most events of one frame the targets hold (the corpora's maximum polyphony).
    public static let tracks = 3

    /// Reads `url`; `frameCount` (the audio's label frames) bounds the frame index when known.
    public static func read(_ url: URL, classCount: Int, frameCount: Int?) throws -> SELDAnnotation {
        let table = try MetadataTable.read(url, delimiter: ",") { _ in false }
        var events: [SELDEvent] = []
        var issues = table.rejected
        var perFrame: [Int: Int] = [:]
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard line.fields.count == 5 || line.fields.count == 6 else {
                reject("expected 5 comma-separated integers (frame, class, source, azimuth, elevation), found \(line.fields.count) fields")
                continue
            }
            let numbers = line.fields.prefix(5).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.allSatisfy({ $0 != nil }) else {
                reject("'\(line.fields.joined(separator: ","))' is not five integers")
                continue
            }
            let event = SELDEvent(frame: numbers[0]!, classIndex: numbers[1]!, source: numbers[2]!,
                                  azimuth: numbers[3]!, elevation: numbers[4]!)
            guard event.frame >= 0 else { reject("frame \(event.frame) is negative"); continue }
            if let frameCount, event.frame >= frameCount {
                reject("frame \(event.frame) is past the end of the audio (\(frameCount) label frames of \(SELDEvent.labelHopSeconds) s)")
                continue
            }
            guard (0..<classCount).contains(event.classIndex) else {
                reject("class index \(event.classIndex) is not in 0...\(classCount - 1)")
                continue
            }
            guard (-180...180).contains(event.azimuth) else { reject("azimuth \(event.azimuth) is outside [-180, 180]"); continue }
            guard (-90...90).contains(event.elevation) else { reject("elevation \(event.elevation) is outside [-90, 90]"); continue }
            guard perFrame[event.frame, default: 0] < tracks else {
                reject("a fourth event in frame \(event.frame): the targets hold \(tracks) tracks")
                continue
            }
            perFrame[event.frame, default: 0] += 1
            events.append(event)
        }
        return SELDAnnotation(events: events, issues: issues)
    }
}
