import Foundation
import TestSupport

extension GoldenFile {
    /// Loads `Goldens/<name>.json` from this test target's resources.
    static func load(_ name: String) throws -> GoldenFile { try load(name, from: .module) }
}

extension GoldenFile.Case {
    /// The case's mono signal, scaled by `params.gain` (a float32 product) when the case has one,
    /// as `signals.make(name, n, sr, gain)` forms it.
    var samples: [Float] { Self.scaled(TestSignals.make(signal, n: n, sr: sr), params["gain"]?.double) }

    /// The case's multichannel signal, scaled the same way (`signals.make_multi(..., gain)`).
    var channels: [[Float]] { TestSignals.makeMulti(signal, n: n, sr: sr).map { Self.scaled($0, params["gain"]?.double) } }

    static func scaled(_ x: [Float], _ gain: Double?) -> [Float] {
        guard let gain else { return x }
        let g = Float(gain)
        return x.map { $0 * g }
    }
}
