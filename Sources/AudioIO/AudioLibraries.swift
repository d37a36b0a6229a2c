import CSampleRate
import CSndFile
import CSoxr

/// The versions of the C libraries AudioIO decodes and resamples with, for a store's provenance:
/// a different libsoxr can change a resampled clip in its last bits.
public enum AudioLibraries {
    /// `["libsndfile": "libsndfile-1.2.0", "libsoxr": "0.1.3", "libsamplerate": "…"]`, read from the linked libraries.
    public static func versions() -> [String: String] {
        [
            "libsndfile": String(cString: sf_version_string()),
            "libsamplerate": String(cString: src_get_version()),
            "libsoxr": String(cString: soxr_version()),
        ]
    }
}
