/// The two recording formats of the SELD corpora (datasets.md §6.2), each a tree `<format>_dev/`.
public enum SELDFormat: String, CaseIterable, Sendable {
    /// First-order Ambisonics, channels W, Y, Z, X.
    case foa
    /// Tetrahedral microphone array, M1…M4.
    case mic
}
