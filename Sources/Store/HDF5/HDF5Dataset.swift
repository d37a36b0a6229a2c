import CHDF5

/// An owned HDF5 dataset (`H5Dcreate2` / `H5Dopen2` … `H5Dclose`).
final class HDF5Dataset {
    let id: hid_t
    let name: String
    private let path: String

    private init(id: hid_t, name: String, path: String) {
        self.id = id
        self.name = name
        self.path = path
    }

    /// Creates dataset `name` (a path relative to `location`, whose groups already exist).
    /// `access` is a dataset access list (nil: the defaults).
    static func create(in location: hid_t, name: String, type: hid_t, space: HDF5Dataspace,
                       creation: HDF5PropertyList, access: HDF5PropertyList? = nil, path: String) throws -> HDF5Dataset {
        let id = try HDF5Library.locked {
            try check(H5Dcreate2(location, name, type, space.id, ap_H5P_DEFAULT(), creation.id, access?.id ?? ap_H5P_DEFAULT()),
                      call: "H5Dcreate2(\(name))", file: path)
        }
        return HDF5Dataset(id: id, name: name, path: path)
    }

    /// Opens an existing dataset.
    static func open(in location: hid_t, name: String, path: String) throws -> HDF5Dataset {
        let id = try HDF5Library.locked {
            try check(H5Dopen2(location, name, ap_H5P_DEFAULT()), call: "H5Dopen2(\(name))", file: path)
        }
        return HDF5Dataset(id: id, name: name, path: path)
    }

    deinit {
        HDF5Library.locked { _ = H5Dclose(id) }
    }

    /// A fresh copy of the dataset's file dataspace, on which the caller may select.
    func space() throws -> HDF5Dataspace {
        let id = try HDF5Library.locked { try check(H5Dget_space(self.id), call: "H5Dget_space(\(name))", file: path) }
        return HDF5Dataspace(owning: id, path: path)
    }

    /// Changes the extent (`H5Dset_extent`): grows an extendible dataset, or shrinks a chunked one.
    func setExtent(_ dims: [Int]) throws {
        var values = dims.map { hsize_t($0) }
        try HDF5Library.locked {
            try check(H5Dset_extent(id, &values), call: "H5Dset_extent(\(name))", file: path)
        }
    }

    /// The stored element type.
    func type() throws -> HDF5Datatype {
        let id = try HDF5Library.locked { try check(H5Dget_type(self.id), call: "H5Dget_type(\(name))", file: path) }
        return HDF5Datatype(owning: id, path: path)
    }

    /// Writes `buffer` (laid out as `memory`) into the selection of `file` (`H5Dwrite`).
    func write(memoryType: hid_t, memory: HDF5Dataspace, file: HDF5Dataspace, buffer: UnsafeRawPointer) throws {
        try HDF5Library.locked {
            try check(H5Dwrite(id, memoryType, memory.id, file.id, ap_H5P_DEFAULT(), buffer),
                      call: "H5Dwrite(\(name))", file: path)
        }
    }

    /// Reads the selection of `file` into `buffer` laid out as `memory` (`H5Dread`).
    func read(memoryType: hid_t, memory: HDF5Dataspace, file: HDF5Dataspace, buffer: UnsafeMutableRawPointer) throws {
        try HDF5Library.locked {
            try check(H5Dread(id, memoryType, memory.id, file.id, ap_H5P_DEFAULT(), buffer),
                      call: "H5Dread(\(name))", file: path)
        }
    }
}
