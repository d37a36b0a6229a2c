import CHDF5

/// An owned HDF5 dataspace (`H5Screate*` / `H5Dget_space` … `H5Sclose`).
final class HDF5Dataspace {
    let id: hid_t
    private let path: String

    /// Takes ownership of an identifier returned by HDF5.
    init(owning id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    /// A simple dataspace of `dims`; `unlimitedFirst` makes the first (row) axis extendible, which
    /// HDF5 requires for a chunked dataset whose row count is zero.
    static func simple(_ dims: [Int], unlimitedFirst: Bool = false, path: String) throws -> HDF5Dataspace {
        var current = dims.map { hsize_t($0) }
        var maximum = current
        if unlimitedFirst, !maximum.isEmpty { maximum[0] = ap_H5S_UNLIMITED() }
        let id = try HDF5Library.locked {
            try check(H5Screate_simple(Int32(current.count), &current, &maximum), call: "H5Screate_simple", file: path)
        }
        return HDF5Dataspace(owning: id, path: path)
    }

    /// A scalar dataspace, used for attributes.
    static func scalar(path: String) throws -> HDF5Dataspace {
        let id = try HDF5Library.locked { try check(H5Screate(H5S_SCALAR), call: "H5Screate", file: path) }
        return HDF5Dataspace(owning: id, path: path)
    }

    deinit {
        HDF5Library.locked { _ = H5Sclose(id) }
    }

    /// The current extent of each axis.
    func dimensions() throws -> [Int] {
        try HDF5Library.locked {
            let rank = try check(H5Sget_simple_extent_ndims(id), call: "H5Sget_simple_extent_ndims", file: path)
            var dims = [hsize_t](repeating: 0, count: Int(rank))
            try check(H5Sget_simple_extent_dims(id, &dims, nil), call: "H5Sget_simple_extent_dims", file: path)
            return dims.map { Int($0) }
        }
    }

    /// Selects the block starting at `start` with extent `count` (`H5Sselect_hyperslab`,
    /// `H5S_SELECT_SET`), replacing any previous selection.
    func selectHyperslab(start: [Int], count: [Int]) throws {
        var startValues = start.map { hsize_t($0) }
        var countValues = count.map { hsize_t($0) }
        try HDF5Library.locked {
            try check(H5Sselect_hyperslab(id, H5S_SELECT_SET, &startValues, nil, &countValues, nil),
                      call: "H5Sselect_hyperslab", file: path)
        }
    }
}
