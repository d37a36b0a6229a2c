import Foundation

/// A fixture that cannot be built, with the reason.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
