import Pipeline
import TextTables

/// What `pipe --version` prints: the tool's version, then the version of each C library that shapes
/// a store's bytes (the same names the manifest records), so a bug report says what computed it.
enum VersionText {
    /// Display order and names of the libraries; any other name the modules report follows, sorted.
    static let known: [(key: String, label: String)] = [
        ("hdf5", "HDF5"), ("libsndfile", "libsndfile"), ("libsamplerate", "libsamplerate"),
        ("libsoxr", "libsoxr"), ("fftw", "FFTW"), ("openblas", "OpenBLAS"), ("nettle", "Nettle"),
    ]

    static func render(tool: String, libraries: [String: String]) -> String {
        let knownKeys = Set(known.map(\.key))
        let rows = known.compactMap { item in libraries[item.key].map { [item.label, $0] } }
            + libraries.keys.filter { !knownKeys.contains($0) }.sorted().map { [$0, libraries[$0] ?? ""] }
        return (["pipe \(tool)"] + TextTable.lines(rows: rows, indent: "  ")).joined(separator: "\n")
    }

    static var current: String { render(tool: Provenance.toolVersion, libraries: Provenance.libraryVersions()) }
}
