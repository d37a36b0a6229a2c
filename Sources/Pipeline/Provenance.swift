import AudioIO
import DSP
import Foundation
import Store

/// Versions of the tool and of the C libraries that computed a store, for its manifest: the same
/// features from a different FFTW or libsoxr may differ in the last bits. Each module reports its
/// own libraries; this only gathers them, so Pipeline links none of them itself.
public enum Provenance {
    public static let toolVersion = "0.1.0"

    /// Library name → version for hdf5, nettle, libsndfile, libsamplerate, libsoxr, fftw, openblas.
    public static func libraryVersions() -> [String: String] {
        LibraryVersions.current()
            .merging(AudioLibraries.versions()) { $1 }
            .merging(DSPLibraries.versions()) { $1 }
    }
}
