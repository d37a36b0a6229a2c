import CHDF5

/// String attributes on an HDF5 object (`H5Acreate2` / `H5Aopen` … `H5Aclose`).
///
/// Shards carry only string attributes (schema version, pipeline name, config hash), stored as
/// scalar variable-length UTF-8 so h5py returns them as `str`.
final class HDF5Attribute {
    let id: hid_t
    private let path: String

    private init(id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    deinit {
        HDF5Library.locked { _ = H5Aclose(id) }
    }

    /// Writes a scalar string attribute `name` = `value` on `location`.
    static func writeString(_ value: String, named name: String, on location: hid_t, path: String) throws {
        let type = try HDF5Datatype.variableLengthUTF8(path: path)
        let space = try HDF5Dataspace.scalar(path: path)
        let id = try HDF5Library.locked {
            try check(H5Acreate2(location, name, type.id, space.id, ap_H5P_DEFAULT(), ap_H5P_DEFAULT()),
                      call: "H5Acreate2(\(name))", file: path)
        }
        let attribute = HDF5Attribute(id: id, path: path)
        try value.withCString { characters in
            var pointer: UnsafePointer<CChar>? = characters
            try HDF5Library.locked {
                try check(H5Awrite(attribute.id, type.id, &pointer), call: "H5Awrite(\(name))", file: path)
            }
        }
    }

    /// Reads every variable-length string attribute of `location`; attributes of other types are
    /// skipped because the store never writes them.
    static func readStrings(on location: hid_t, path: String) throws -> [String: String] {
        final class Names { var values: [String] = [] }
        let names = Names()
        let visitor: H5A_operator2_t = { _, name, _, context in
            guard let name, let context else { return 0 }
            Unmanaged<Names>.fromOpaque(context).takeUnretainedValue().values.append(String(cString: name))
            return 0
        }
        try HDF5Library.locked {
            try withExtendedLifetime(names) {
                try check(H5Aiterate2(location, H5_INDEX_NAME, H5_ITER_INC, nil, visitor,
                                      Unmanaged.passUnretained(names).toOpaque()),
                          call: "H5Aiterate2", file: path)
            }
        }
        let memoryType = try HDF5Datatype.variableLengthUTF8(path: path)
        var result: [String: String] = [:]
        for name in names.values {
            let id = try HDF5Library.locked {
                try check(H5Aopen(location, name, ap_H5P_DEFAULT()), call: "H5Aopen(\(name))", file: path)
            }
            let attribute = HDF5Attribute(id: id, path: path)
            let storedType = HDF5Datatype(owning: try HDF5Library.locked {
                try check(H5Aget_type(attribute.id), call: "H5Aget_type(\(name))", file: path)
            }, path: path)
            guard try storedType.typeClass() == H5T_STRING, try storedType.isVariableString() else { continue }
            var pointer: UnsafeMutablePointer<CChar>?
            try HDF5Library.locked {
                try check(H5Aread(attribute.id, memoryType.id, &pointer), call: "H5Aread(\(name))", file: path)
            }
            if let pointer {
                result[name] = String(cString: pointer)
                HDF5Library.locked { _ = H5free_memory(pointer) }
            }
        }
        return result
    }
}
