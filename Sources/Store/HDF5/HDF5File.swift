import CHDF5

/// An owned HDF5 file (`H5Fcreate` / `H5Fopen` … `H5Fclose`).
///
/// The identifier doubles as the location of the root group, so root attributes and top-level
/// groups are created directly on it.
final class HDF5File {
    let id: hid_t
    let path: String
    private var isOpen = true

    private init(id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    /// Creates (truncating) a file laid out deterministically: no object times, format pinned to
    /// HDF5 1.10 objects. See `HDF5PropertyList` for why both matter.
    static func create(path: String) throws -> HDF5File {
        let creation = try HDF5PropertyList(class: ap_H5P_FILE_CREATE(), path: path)
        try creation.disableTimeTracking()
        let access = try HDF5PropertyList(class: ap_H5P_FILE_ACCESS(), path: path)
        try access.pinFormatVersion()
        let id = try HDF5Library.locked {
            try check(H5Fcreate(path, ap_H5F_ACC_TRUNC(), creation.id, access.id), call: "H5Fcreate", file: path)
        }
        return HDF5File(id: id, path: path)
    }

    /// Opens an existing file read-only.
    static func openReadOnly(path: String) throws -> HDF5File {
        let id = try HDF5Library.locked {
            try check(H5Fopen(path, ap_H5F_ACC_RDONLY(), ap_H5P_DEFAULT()), call: "H5Fopen", file: path)
        }
        return HDF5File(id: id, path: path)
    }

    /// Closes the file now, reporting failure (deinit can only ignore it). All datasets and groups
    /// of the file must already be released, or HDF5 keeps the file open until they are.
    func close() throws {
        guard isOpen else { return }
        isOpen = false
        try HDF5Library.locked { try check(H5Fclose(id), call: "H5Fclose", file: path) }
    }

    deinit {
        if isOpen { HDF5Library.locked { _ = H5Fclose(id) } }
    }

    /// Whether a link (group or dataset path relative to the root, e.g. "meta/id") exists.
    /// Each intermediate component is checked first, as `H5Lexists` requires.
    func linkExists(_ name: String) throws -> Bool {
        var prefix = ""
        for component in name.split(separator: "/") {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            let exists = try HDF5Library.locked {
                try check(H5Lexists(id, prefix, ap_H5P_DEFAULT()), call: "H5Lexists", file: path)
            }
            if exists == 0 { return false }
        }
        return true
    }

    /// The paths (relative to the root, e.g. "features/logmel") of every dataset in the file,
    /// sorted by name. Uses `H5Lvisit` for the link names and `H5Iget_type` on each object, which
    /// avoids the versioned `H5Oget_info` family.
    func datasetPaths() throws -> [String] {
        final class Names { var values: [String] = [] }
        let names = Names()
        let visitor: H5L_iterate_t = { _, name, _, context in
            guard let name, let context else { return 0 }
            Unmanaged<Names>.fromOpaque(context).takeUnretainedValue().values.append(String(cString: name))
            return 0
        }
        try HDF5Library.locked {
            try withExtendedLifetime(names) {
                try check(H5Lvisit(id, H5_INDEX_NAME, H5_ITER_INC, visitor, Unmanaged.passUnretained(names).toOpaque()),
                          call: "H5Lvisit", file: path)
            }
        }
        var datasets: [String] = []
        for name in names.values {
            let isDataset = try HDF5Library.locked { () throws -> Bool in
                let object = try check(H5Oopen(id, name, ap_H5P_DEFAULT()), call: "H5Oopen", file: path)
                defer { H5Oclose(object) }
                return H5Iget_type(object) == H5I_DATASET
            }
            if isDataset { datasets.append(name) }
        }
        return datasets.sorted()
    }
}
