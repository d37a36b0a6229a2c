import Foundation

/// The facts encoded in a TAU Urban Acoustic Scenes file name,
/// `audio/<scene>-<city>-<location id>-<segment id>-<device>.wav` (datasets.md §1.4).
///
/// Every column of `meta.csv` can be derived from it, which is what lets the recipe work from the
/// setup files alone when `meta.csv` is absent.
public struct TAU2020FileName: Hashable, Sendable {
    public var scene: String
    public var city: String
    public var locationID: String
    public var segmentID: Int
    public var device: String

    /// `meta.csv`'s `identifier`: `<city>-<location id>` (the segment is not part of it).
    public var identifier: String { "\(city)-\(locationID)" }

    /// Parses a name with or without the `audio/` folder; `nil` unless it has exactly five
    /// `-`-separated non-empty parts, an integer segment id and a `.wav` extension.
    /// Scene labels use `_`, never `-`, so splitting on `-` is unambiguous.
    public init?(_ fileName: String) {
        let base = (fileName as NSString).lastPathComponent
        guard FileSystem.isWAV(base) else { return nil }
        let parts = FileSystem.stem(base).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts.allSatisfy({ !$0.isEmpty }), let segment = Int(parts[3]), segment >= 0 else {
            return nil
        }
        scene = parts[0]
        city = parts[1]
        locationID = parts[2]
        segmentID = segment
        device = parts[4]
    }
}
