import Foundation

/// One representation's values for one clip: `[C, T, F]` (channels, frames, bins), flat, row-major.
public struct FeatureTensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    public subscript(c: Int, t: Int, f: Int) -> Float {
        values[(c * shape[1] + t) * shape[2] + f]
    }
}

/// Why a feature could not be computed for a clip.
public struct FeatureError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A representation: its column name, its parameters, and a factory of per-thread workers.
///
/// The extractor itself is immutable and shared (filterbanks and FFT plans are built once in
/// `init`); each worker thread asks for its own `FeatureWorker`, which owns the scratch buffers, so
/// that nothing is allocated per frame and no state is shared between threads.
public protocol FeatureExtractor: Sendable {
    /// The store column: `/features/<name>`.
    var name: String { get }
    /// The sample rate this representation's parameters assume; audio is resampled to it first.
    var sampleRate: Int { get }
    /// `[C, T, F]` for a clip of `channelCount` channels and `sampleCount` samples.
    func outputShape(channelCount: Int, sampleCount: Int) -> [Int]
    func makeWorker() -> any FeatureWorker
}

/// Computes one representation; used by one thread at a time.
public protocol FeatureWorker: AnyObject {
    func extract(_ channels: [[Float]]) throws -> FeatureTensor
}
