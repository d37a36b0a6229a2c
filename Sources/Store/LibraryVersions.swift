import CNettle

/// Versions of the libraries that shaped a store's bytes, recorded in its manifest.
///
/// The Store fills in what it links (HDF5, Nettle); the pipeline adds the rest (libsndfile, libsoxr,
/// FFTW, OpenBLAS), since each module knows its own library.
public enum LibraryVersions {
    /// `["hdf5": "1.10.8", "nettle": "3.10"]`, read from the linked libraries.
    public static func current() -> [String: String] {
        ["hdf5": HDF5Library.version(), "nettle": "\(nettle_version_major()).\(nettle_version_minor())"]
    }
}
