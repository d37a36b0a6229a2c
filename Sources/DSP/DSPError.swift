/// Why a DSP building block cannot be made or run (impossible parameters, a clip too short for a
/// transform, a libsoxr failure): the one error type of the module, with the reason in words.
public struct DSPError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
