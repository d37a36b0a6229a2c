import CFFTW
import CHDF5
import COpenBLAS
import CSampleRate
import CSndFile
import CSoxr
import Foundation
import Store

/// Versions of the tool and of the C libraries that computed a store, for its manifest: the same
/// features from a different FFTW or libsoxr may differ in the last bits.
public enum Provenance {
    public static let toolVersion = "0.1.0"

    public static func libraryVersions() -> [String: String] {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        let openblas = String(cString: openblas_get_config()).split(separator: " ").prefix(2).joined(separator: " ")
        return LibraryVersions.current().merging([
            "hdf5": "\(major).\(minor).\(release)",
            "libsndfile": String(cString: sf_version_string()),
            "libsamplerate": String(cString: src_get_version()),
            "libsoxr": String(cString: soxr_version()),
            "fftw": String(cString: ap_fftw_version()),
            "openblas": openblas,
        ]) { _, pipeline in pipeline }
    }
}
