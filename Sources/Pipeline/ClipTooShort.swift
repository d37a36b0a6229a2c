import Foundation

/// A file shorter than `audio.min_duration_fraction` × `audio.duration`: rejected (stage
/// "duration") rather than padded into a row that is mostly zeros.
struct ClipTooShort: Error {
    let path: String
    let samples: Int
    let sampleRate: Int
    let duration: Double
    let fraction: Double

    /// What the rejection lists beside the path.
    var reason: String {
        String(format: "audio is %.3f s (%d samples at %d Hz), shorter than min_duration_fraction %g x duration %g s",
               Double(samples) / Double(sampleRate), samples, sampleRate, fraction, duration)
    }
}
