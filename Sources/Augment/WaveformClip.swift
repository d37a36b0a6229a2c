import Foundation

/// A direction of arrival in degrees, DCASE convention (features.md §8.1): azimuth counter-clockwise
/// from the front (+x), in [-180, 180); elevation up-positive, in [-90, 90].
public struct Direction: Codable, Equatable, Sendable {
    public var azimuth: Double
    public var elevation: Double
    public init(azimuth: Double, elevation: Double) {
        self.azimuth = azimuth
        self.elevation = elevation
    }

    /// Unit Cartesian vector `(cosφcosθ, sinφcosθ, sinθ)`.
    public var cartesian: (x: Double, y: Double, z: Double) {
        let (phi, theta) = (azimuth * .pi / 180, elevation * .pi / 180)
        return (cos(phi) * cos(theta), sin(phi) * cos(theta), sin(theta))
    }

    /// The direction of a (not necessarily unit) vector, azimuth wrapped to [-180, 180).
    public init(x: Double, y: Double, z: Double) {
        let r = (x * x + y * y + z * z).squareRoot()
        var az = atan2(y, x) * 180 / .pi
        if az >= 180 { az -= 360 }
        azimuth = az
        elevation = r > 0 ? asin(max(-1, min(1, z / r))) * 180 / .pi : 0
    }
}

/// One clip as waveform augmentations see it: planar channels at the model rate, the recording's
/// device (DIR/ADIR filter on it) and its direction-of-arrival targets (any number, e.g. frames ×
/// tracks flattened), which the FOA channel swap transforms with the signals.
public struct WaveformClip: Sendable, Equatable {
    public var channels: [[Float]]
    public var sampleRate: Int
    public var device: String?
    public var directions: [Direction]

    public init(channels: [[Float]], sampleRate: Int, device: String? = nil, directions: [Direction] = []) {
        self.channels = channels
        self.sampleRate = sampleRate
        self.device = device
        self.directions = directions
    }

    public var sampleCount: Int { channels.first?.count ?? 0 }
}

/// An augmentation of a waveform, drawing only from the stream it is given.
public protocol WaveformAugmentation: Sendable {
    associatedtype Draw: DrawRecord
    /// Its name in a pipeline's `augment:` section and in the store's `/aug/<name>/…` columns.
    static var name: String { get }
    func apply(to clip: inout WaveformClip, random: inout AugmentRandom) throws -> Draw
}
