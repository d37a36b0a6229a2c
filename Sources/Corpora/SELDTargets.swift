import Foundation

/// Dense frame-level SELD targets from the sparse events of one recording, at the label rate.
///
/// - `activity` `[frames, classes]`: 1 where the class is active.
/// - `doa` `[frames, 3 tracks, classes, 3]`: the unit vector (x, y, z) of each active event, zeros
///   where a track is inactive; overlapping events of one class fill tracks 0, 1, 2 in the order the
///   baseline keeps them (events of a frame stably sorted by class, i.e. file order within a class).
/// - `adpit` `[frames, 6, 4, classes]`: the 2022 baseline's multi-ACCDOA target
///   (`get_adpit_labels_for_file`): one event of a class goes to track 0 (a0), two to tracks 1, 2
///   (b0, b1), three to 3, 4, 5 (c0, c1, c2); the 4 rows are activity, x, y, z. c2 is the third
///   event, as seld-dcase2022@545c914 has it (the earlier 02e5889 read the second event twice, a
///   bug fixed there).
///
/// `start` and `frames` cut a window: label frame `start` of the recording is frame 0 here, and frames
/// past the recording's events are zeros (a padded clip has no events in its padding).
public struct SELDTargets: Sendable {
    public var frames: Int
    public var classes: Int
    public var activity: [Float]
    public var doa: [Float]
    public var adpit: [Float]

    public init(events: [SELDEvent], classes: Int, frames: Int, start: Int = 0) {
        self.frames = frames
        self.classes = classes
        let tracks = SELDAnnotation.tracks
        activity = [Float](repeating: 0, count: frames * classes)
        doa = [Float](repeating: 0, count: frames * tracks * classes * 3)
        adpit = [Float](repeating: 0, count: frames * 6 * 4 * classes)
        var byFrame: [Int: [SELDEvent]] = [:]
        for event in events where event.frame >= start && event.frame < start + frames {
            byFrame[event.frame - start, default: []].append(event)
        }
        for (t, list) in byFrame {
            var perClass: [Int: [SELDEvent]] = [:]
            for event in list { perClass[event.classIndex, default: []].append(event) }
            for (c, same) in perClass {
                activity[t * classes + c] = 1
                for (track, event) in same.prefix(tracks).enumerated() {
                    let v = event.unitVector
                    let base = ((t * tracks + track) * classes + c) * 3
                    doa[base] = v.x
                    doa[base + 1] = v.y
                    doa[base + 2] = v.z
                }
                let first = same.count == 1 ? 0 : same.count == 2 ? 1 : 3
                for (k, event) in same.prefix(tracks).enumerated() {
                    let v = event.unitVector
                    let track = first + k
                    for (row, value) in [Float(1), v.x, v.y, v.z].enumerated() {
                        adpit[((t * 6 + track) * 4 + row) * classes + c] = value
                    }
                }
            }
        }
    }
}
