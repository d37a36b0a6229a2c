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

