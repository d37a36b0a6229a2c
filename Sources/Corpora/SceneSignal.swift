import Foundation
import Randomness

/// The class-dependent test signal that synthetic corpora are made of.
///
/// A synthetic corpus is only useful if a classifier can learn its classes and a bug that scrambles
/// labels shows up as chance accuracy. Each class therefore has its own spectral and temporal
/// signature: band-limited noise centred on a class frequency (log-spaced, 200 Hz … 8 kHz) whose
/// amplitude is modulated at a class rate, alternating with a tone at 1.25 × that frequency, over a
/// faint broadband floor. Each clip jitters frequency, rate, balance, phases and level from its own
/// generator so that clips of a class are alike but not identical.
public struct SceneSignal: Hashable, Sendable {
    public var classIndex: Int
    public var classCount: Int

    public init(classIndex: Int, classCount: Int) {
        self.classIndex = classIndex
        self.classCount = classCount
    }

    /// Position of the class on [0, 1].
    private var position: Double {
        classCount > 1 ? Double(classIndex) / Double(classCount - 1) : 0
    }

    /// Centre of the class's noise band, in Hz, before per-clip jitter.
    public var centreFrequency: Double { 200 * pow(40, position) }

    /// Amplitude-modulation rate of the class, in Hz, before per-clip jitter.
    public var modulationRate: Double { 0.5 + 0.6 * Double(classIndex) }

    /// Peak level of every rendered clip, before the per-clip ±10 % level jitter.
    public static let peak: Float = 0.5

    /// Renders `frameCount` mono samples at `sampleRate`, drawing all per-clip variation from `rng`.
    public func render(sampleRate: Int, frameCount: Int, rng: inout SplitMix64) -> [Float] {
        guard frameCount > 0, sampleRate > 0 else { return [] }
        let rate = Double(sampleRate)
        let centre = min(centreFrequency * (1 + 0.1 * rng.nextSigned()), 0.35 * rate)
        let tone = min(centre * 1.25, 0.45 * rate)
        let amRate = modulationRate * (1 + 0.1 * rng.nextSigned())
        let toneGain = 0.6 + 0.2 * rng.nextSigned()
        let floorGain = 0.05
        let level = Double(Self.peak) * (1 + 0.1 * rng.nextSigned())
        var tonePhase = 2 * Double.pi * rng.nextUnit()
        var amPhase = 2 * Double.pi * rng.nextUnit()
        let toneStep = 2 * Double.pi * tone / rate
        let amStep = 2 * Double.pi * amRate / rate

        // Two cascaded RBJ band-passes (0 dB peak gain, Q = 3): one section's skirts fall only
        // 6 dB/octave, which would smear every class over the whole spectrum. The cascade's
        // noise-equivalent bandwidth is about (π/4)·centre/Q, so dividing by the expected output RMS
        // of uniform noise (variance 1/3) gives every class the same band energy.
        let q = 3.0
        let w0 = 2 * Double.pi * centre / rate
        let alpha = sin(w0) / (2 * q)
        let a0 = 1 + alpha
        let b0 = alpha / a0, b2 = -alpha / a0, a1 = -2 * cos(w0) / a0, a2 = (1 - alpha) / a0
        let bandwidthFraction = min(1, (Double.pi / 4) * (centre / q) / (rate / 2))
        let noiseGain = (3 / bandwidthFraction).squareRoot()

        var samples = [Float](repeating: 0, count: frameCount)
        var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0 // first section's state
        var v1 = 0.0, v2 = 0.0                     // second section's output state (its input is y)
        var maxAbs = 0.0
        samples.withUnsafeMutableBufferPointer { out in
            for i in 0..<frameCount {
                let x = rng.nextSigned()
                let y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2
                let v = b0 * y + b2 * y2 - a1 * v1 - a2 * v2
                x2 = x1; x1 = x
                y2 = y1; y1 = y
                v2 = v1; v1 = v
                let envelope = 0.5 * (1 + 0.9 * sin(amPhase))
                let value = noiseGain * v * envelope + toneGain * sin(tonePhase) * (1 - envelope)
                    + floorGain * rng.nextSigned()
                out[i] = Float(value)
                maxAbs = max(maxAbs, abs(value))
                tonePhase += toneStep
                if tonePhase > 2 * Double.pi { tonePhase -= 2 * Double.pi }
                amPhase += amStep
                if amPhase > 2 * Double.pi { amPhase -= 2 * Double.pi }
            }
            let scale = maxAbs > 0 ? Float(level / maxAbs) : 0
            for i in 0..<frameCount { out[i] *= scale }
        }
        return samples
    }
}
