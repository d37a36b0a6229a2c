import CHDF5

/// An owned HDF5 datatype (`H5Tcopy` / `H5Dget_type` … `H5Tclose`).
///
/// Predefined types such as `H5T_NATIVE_FLOAT` must never be closed, so this class only ever holds
/// copies; the predefined identifiers are used directly where no ownership is needed.
final class HDF5Datatype {
    let id: hid_t
    private let path: String

    /// Takes ownership of an identifier returned by HDF5.
    init(owning id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    /// A variable-length UTF-8 string type (`H5T_C_S1` + `H5T_VARIABLE` + `H5T_CSET_UTF8`): what
    /// h5py reads as `str`, and what lets ids and paths of any length share one column.
    static func variableLengthUTF8(path: String) throws -> HDF5Datatype {
        try HDF5Library.locked {
            let id = try check(H5Tcopy(ap_H5T_C_S1()), call: "H5Tcopy", file: path)
            let type = HDF5Datatype(owning: id, path: path)
            try check(H5Tset_size(id, ap_H5T_VARIABLE()), call: "H5Tset_size", file: path)
            try check(H5Tset_cset(id, H5T_CSET_UTF8), call: "H5Tset_cset", file: path)
            return type
        }
    }

    deinit {
        HDF5Library.locked { _ = H5Tclose(id) }
    }

    /// The type class (`H5T_FLOAT`, `H5T_INTEGER`, `H5T_STRING`, …).
    func typeClass() throws -> H5T_class_t {
        try HDF5Library.locked {
            let value = H5Tget_class(id)
            guard value != H5T_NO_CLASS else {
                throw StoreError.hdf5(call: "H5Tget_class", path: path, reason: HDF5Library.drainErrorStack())
            }
            return value
        }
    }

    /// The size in bytes of one element.
    func size() throws -> Int {
        try HDF5Library.locked {
            let value = H5Tget_size(id)
            guard value > 0 else {
                throw StoreError.hdf5(call: "H5Tget_size", path: path, reason: HDF5Library.drainErrorStack())
            }
            return value
        }
    }

    /// Whether an integer type is signed.
    func isSigned() throws -> Bool {
        try HDF5Library.locked {
            let sign = H5Tget_sign(id)
            guard sign != H5T_SGN_ERROR else {
                throw StoreError.hdf5(call: "H5Tget_sign", path: path, reason: HDF5Library.drainErrorStack())
            }
            return sign != H5T_SGN_NONE
        }
    }

    /// Whether a string type is variable-length.
    func isVariableString() throws -> Bool {
        try HDF5Library.locked {
            try check(H5Tis_variable_str(id), call: "H5Tis_variable_str", file: path) > 0
        }
    }
}
