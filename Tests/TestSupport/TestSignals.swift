import Foundation

/// The deterministic test signals of Goldens/signals.py, sample for sample.
public enum TestSignals {
    public static func noise(_ n: Int, seed: UInt64 = 1) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(state >> 40) / Double(1 << 24) - 0.5)
        }
    }

    public static func tone(_ n: Int, sr: Int) -> [Float] {
        (0..<n).map { i in
            let t = Double(i) / Double(sr)
            return Float(0.3 * sin(2 * Double.pi * 440.0 * t) + 0.2 * sin(2 * Double.pi * 3000.0 * t))
        }
    }

    public static func chirp(_ n: Int, sr: Int, f0: Double = 100, f1: Double? = nil) -> [Float] {
        let f1 = f1 ?? Double(sr) * 0.45
        let duration = Double(n) / Double(sr)
        return (0..<n).map { i in
            let t = Double(i) / Double(sr)
            return Float(0.4 * sin(2 * Double.pi * (f0 * t + (f1 - f0) / (2 * duration) * t * t)))
        }
    }

    public static func make(_ name: String, n: Int, sr: Int) -> [Float] {
        switch name {
        case "noise": return noise(n)
        case "tone": return tone(n, sr: sr)
        case "chirp": return chirp(n, sr: sr)
        case "silence": return [Float](repeating: 0, count: n)
        default: fatalError("unknown test signal \(name)")
        }
    }
}


// MARK: - Multichannel signals (Goldens/signals.py `make_multi` mirrors them)

extension TestSignals {
    /// First-order Ambisonics, ACN/SN3D as DCASE ships it: (W, Y, Z, X) = s·(1, sinφcosθ, sinθ, cosφcosθ).
    public static func foaGains(azimuth: Double, elevation: Double) -> [Double] {
        let phi = azimuth * Double.pi / 180, theta = elevation * Double.pi / 180
        return [1, sin(phi) * cos(theta), sin(theta), cos(phi) * cos(theta)]
    }

    /// Two sources and weak diffuse noise in FOA, as `signals.foa_mix`.
    public static func foaMix(_ n: Int, sr: Int) -> [[Float]] {
        let s1 = noise(n, seed: 7).map { 0.5 * Double($0) }
        let s2 = chirp(n, sr: sr).map { Double($0) }
        let a = foaGains(azimuth: 30, elevation: 10), b = foaGains(azimuth: -120, elevation: -20)
        return (0..<4).map { c in
            let d = noise(n, seed: UInt64(11 + c))
            return (0..<n).map { i in Float(s1[i] * a[c] + s2[i] * b[c] + 0.05 * Double(d[i])) }
        }
    }

    public static func makeMulti(_ name: String, n: Int, sr: Int) -> [[Float]] {
        switch name {
        case "foa_mix": return foaMix(n, sr: sr)
        default: fatalError("unknown multichannel test signal \(name)")
        }
    }
}
