import CNettle

/// Versions of the libraries that shaped a store's bytes, recorded in its manifest.
///
/// The Store reports what it links (HDF5 writes the shards, Nettle hashes them); the other modules
/// report their own (`AudioLibraries`, `DSPLibraries`) and Pipeline's `Provenance` gathers them all.
public enum LibraryVersions {
    /// `["hdf5": "1.10.8", "nettle": "3.8"]`, read from the linked libraries.
    public static func current() -> [String: String] {
        ["hdf5": HDF5Library.version(), "nettle": SHA256Hasher.libraryVersion]
    }
}
