import CHDF5

/// An owned HDF5 group (`H5Gcreate2` … `H5Gclose`).
final class HDF5Group {
    let id: hid_t
    private let path: String

    private init(id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    /// Creates group `name` under `location` with time tracking off. Groups are created one level
    /// at a time by the caller rather than through intermediate-group link creation, because the
    /// intermediate groups HDF5 makes itself would carry timestamps.
    static func create(in location: hid_t, name: String, path: String) throws -> HDF5Group {
        let creation = try HDF5PropertyList(class: ap_H5P_GROUP_CREATE(), path: path)
        try creation.disableTimeTracking()
        let id = try HDF5Library.locked {
            try check(H5Gcreate2(location, name, ap_H5P_DEFAULT(), creation.id, ap_H5P_DEFAULT()),
                      call: "H5Gcreate2(\(name))", file: path)
        }
        return HDF5Group(id: id, path: path)
    }

    deinit {
        HDF5Library.locked { _ = H5Gclose(id) }
    }
}
