import CFFTW
import COpenBLAS

/// The versions of the C libraries DSP computes with, for a store's provenance: FFTW's plans and
/// OpenBLAS's kernels decide the last bits of every feature.
public enum DSPLibraries {
    /// `["fftw": "fftw-3.3.10-…", "openblas": "OpenBLAS 0.3.21"]`, read from the linked libraries.
    public static func versions() -> [String: String] {
        let openblas = String(cString: openblas_get_config()).split(separator: " ").prefix(2).joined(separator: " ")
        return ["fftw": String(cString: ap_fftw_version()), "openblas": openblas]
    }
}
