/// Versions of the libraries that shaped a store's bytes, recorded in its manifest.
///
/// The Store fills in what it links (HDF5); the pipeline adds the rest (libsndfile, libsoxr,
/// FFTW, OpenBLAS), since each module knows its own library.
public enum LibraryVersions {
    /// `["hdf5": "1.10.8"]`, read from the linked library with `H5get_libversion`.
    public static func current() -> [String: String] {
        ["hdf5": HDF5Library.version()]
    }
}
