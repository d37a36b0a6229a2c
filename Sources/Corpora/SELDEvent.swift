import Foundation

/// One line of a SELD metadata CSV (datasets.md §6.1): a sound event active in one 100-ms label frame.
public struct SELDEvent: Hashable, Sendable {
    /// Label frame, from 0; frames are `SELDEvent.labelHopSeconds` long.
    public var frame: Int
    /// Class index into the corpus's class list.
    public var classIndex: Int
    /// TAU-NIGENS: the event number; STARSS22: the source (actor) index, 0 for other sources.
    public var source: Int
    /// Integer degrees, counter-clockwise (+90 = left), in [-180, 180].
    public var azimuth: Int
    /// Integer degrees, up positive, in [-90, 90].
    public var elevation: Int

    /// The label rate of both corpora and their baselines (`label_hop_len_s = 0.1`).
    public static let labelHopSeconds = 0.1

    public init(frame: Int, classIndex: Int, source: Int, azimuth: Int, elevation: Int) {
        self.frame = frame
        self.classIndex = classIndex
        self.source = source
        self.azimuth = azimuth
        self.elevation = elevation
    }

    /// The unit vector (x front, y left, z up) of the direction, as the baselines convert it:
    /// `x = cos(azi) cos(ele)`, `y = sin(azi) cos(ele)`, `z = sin(ele)`.
    public var unitVector: (x: Float, y: Float, z: Float) {
        let azi = Double(azimuth) * .pi / 180, ele = Double(elevation) * .pi / 180
        return (Float(cos(azi) * cos(ele)), Float(sin(azi) * cos(ele)), Float(sin(ele)))
    }

    /// Label frames of a file of `sampleCount` samples at `sampleRate`: whole frames only, as the
    /// baseline's `int(len(audio) / label_hop_len)`.
    public static func labelFrames(sampleCount: Int, sampleRate: Int) -> Int {
        let hop = Int((labelHopSeconds * Double(sampleRate)).rounded())
        return hop > 0 ? sampleCount / hop : 0
    }
}
