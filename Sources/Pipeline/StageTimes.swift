/// CPU-side time spent per stage, summed over all workers, in seconds; `make bench` prints it.
public struct StageTimes: Codable, Equatable, Sendable {
    public var decode = 0.0
    public var resample = 0.0
    public var features = 0.0
    public var write = 0.0

    public init() {}
}
