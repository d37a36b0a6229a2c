import Foundation

/// The facts encoded in a TAU Urban Acoustic Scenes 2022 file name,
/// `audio/<scene>-<city>-<location id>-<segment id>-<piece>-<device>.wav` (datasets.md §2), where
/// `piece` 0…9 is the second of the 10-s recording the 1-s clip was cut from.
///
/// The 10-s recording is what a split must keep on one side: its ten pieces, and the pieces of the
/// same segment recorded in parallel by the other devices, are near copies of one another.
public struct TAU2022FileName: Hashable, Sendable {
    public var scene: String
    public var city: String
    public var locationID: String
    public var segmentID: Int
    /// Which 1-s piece of the 10-s segment (0…9).
    public var piece: Int
    public var device: String

    /// `meta.csv`'s `identifier`: `<city>-<location id>`.
    public var identifier: String { "\(city)-\(locationID)" }
    /// The 10-s recording this clip was cut from, `<identifier>-<segment id>`: shared by its ten
    /// pieces and by every device that recorded the segment in parallel.
    public var segment: String { "\(identifier)-\(segmentID)" }

    /// Parses a name with or without the `audio/` folder; `nil` unless it has exactly six
    /// `-`-separated non-empty parts, integer segment and piece numbers and a `.wav` extension.
    /// dcase_util's fallback (`'-'.join(split('-')[1:-2])`) would take `city-loc-seg` for the
    /// identifier of these names; the parts are named here instead of counted from the end.
    public init?(_ fileName: String) {
        let base = (fileName as NSString).lastPathComponent
        guard FileSystem.isWAV(base) else { return nil }
        let parts = FileSystem.stem(base).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts.allSatisfy({ !$0.isEmpty }),
              let segment = Int(parts[3]), segment >= 0, let piece = Int(parts[4]), (0...9).contains(piece) else {
            return nil
        }
        scene = parts[0]
        city = parts[1]
        locationID = parts[2]
        segmentID = segment
        self.piece = piece
        device = parts[5]
    }
}
