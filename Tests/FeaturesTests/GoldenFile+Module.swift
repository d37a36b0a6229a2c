import Foundation
import TestSupport

extension GoldenFile {
    /// Loads `Goldens/<name>.json` from this test target's resources.
    static func load(_ name: String) throws -> GoldenFile { try load(name, from: .module) }
}
