import CHDF5

/// An owned HDF5 property list (`H5Pcreate` … `H5Pclose`).
///
/// The shard writer's determinism lives here: time tracking off and fixed library version bounds
/// are what make two writes of the same rows byte-identical.
final class HDF5PropertyList {
    let id: hid_t
    private let path: String

    /// Creates a property list of the given class (e.g. `ap_H5P_DATASET_CREATE()`).
    init(class listClass: hid_t, path: String) throws {
        self.path = path
        id = try HDF5Library.locked { try check(H5Pcreate(listClass), call: "H5Pcreate", file: path) }
    }

    deinit {
        HDF5Library.locked { _ = H5Pclose(id) }
    }

    /// Stops HDF5 from storing access/modification times in object headers
    /// (`H5Pset_obj_track_times(…, 0)`); otherwise every write of a shard differs.
    func disableTimeTracking() throws {
        try HDF5Library.locked {
            try check(H5Pset_obj_track_times(id, false), call: "H5Pset_obj_track_times", file: path)
        }
    }

    /// Pins the file format to HDF5 1.10 objects (`H5Pset_libver_bounds(V110, V110)`), so the bytes
    /// written do not depend on library defaults. Readers need HDF5 ≥ 1.10 (any h5py since 2018).
    func pinFormatVersion() throws {
        try HDF5Library.locked {
            try check(H5Pset_libver_bounds(id, H5F_LIBVER_V110, H5F_LIBVER_V110),
                      call: "H5Pset_libver_bounds", file: path)
        }
    }

    /// Sets the chunk shape of a dataset creation list (`H5Pset_chunk`).
    func setChunk(_ dims: [Int]) throws {
        var chunk = dims.map { hsize_t($0) }
        try HDF5Library.locked {
            try check(H5Pset_chunk(id, Int32(chunk.count), &chunk), call: "H5Pset_chunk", file: path)
        }
    }

    /// Allocates every chunk when the dataset is created (`H5D_ALLOC_TIME_EARLY`) and, for
    /// fixed-size types, never writes fill values (`H5D_FILL_TIME_NEVER`; HDF5 refuses that for
    /// variable-length types, which keep the default).
    ///
    /// With the default incremental allocation, where chunks land in the file depends on when the
    /// chunk cache evicts them, which differed between the first and later shards of a process;
    /// allocating up front puts chunk `i` at the same offset every time. Fill values are useless
    /// here because the writer refuses to commit until every row has been written.
    func allocateChunksEarly(skipFill: Bool) throws {
        try HDF5Library.locked {
            try check(H5Pset_alloc_time(id, H5D_ALLOC_TIME_EARLY), call: "H5Pset_alloc_time", file: path)
            if skipFill {
                try check(H5Pset_fill_time(id, H5D_FILL_TIME_NEVER), call: "H5Pset_fill_time", file: path)
            }
        }
    }

    /// Turns off a dataset access list's chunk cache (`H5Pset_chunk_cache(…, 0, 0, …)`), so every
    /// write reaches the file when it is made. A growing dataset cannot allocate its chunks early;
    /// without a cache its chunks are allocated in the order they are written, not in the order a
    /// cache happens to evict them, and the file's bytes are the same every time.
    func disableChunkCache() throws {
        try HDF5Library.locked {
            try check(H5Pset_chunk_cache(id, 0, 0, 1.0), call: "H5Pset_chunk_cache", file: path)
        }
    }
}
