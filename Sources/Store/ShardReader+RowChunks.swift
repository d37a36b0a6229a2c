import CHDF5
import Foundation

/// Where the rows of a float32 column lie in a shard file, when each row is one whole chunk stored
/// as is (no filter, little-endian IEEE float32, allocated): the byte offset of every row's chunk.
///
/// Why: every HDF5 call goes through the process-wide lock, so reader threads calling `H5Dread`
/// one row at a time queue behind each other. A committed shard never changes (it is checksummed
/// when opened, and replaced only by rename), so its chunk addresses, read once under the lock, let
/// a reader copy a row's bytes with one `pread` from any thread, with no HDF5 call at all.
public struct RowChunks: Sendable {
    /// File offset of row `i`'s chunk.
    public let offsets: [UInt64]
    /// Bytes of one row (its chunk's size).
    public let rowBytes: Int
}

extension ShardReader {
    /// The rows' chunk offsets of float32 column `name`, or nil when its layout is not one raw chunk
    /// per row (the caller then reads through HDF5).
    public func rowChunks(_ name: String) throws -> RowChunks? {
        guard let spec = spec(of: name), spec.dtype == .float32, let dataset = datasets[name], rowCount > 0 else { return nil }
        let path = url.path
        let rowBytes = spec.elementsPerRow * MemoryLayout<Float>.size
        guard 1.littleEndian == 1 else { return nil }
        return try HDF5Library.locked { () throws -> RowChunks? in
            let plist = try check(H5Dget_create_plist(dataset.id), call: "H5Dget_create_plist(\(name))", file: path)
            defer { H5Pclose(plist) }
            guard H5Pget_layout(plist) == H5D_CHUNKED, H5Pget_nfilters(plist) == 0 else { return nil }
            let rank = spec.rowShape.count + 1
            var chunk = [hsize_t](repeating: 0, count: rank)
            guard H5Pget_chunk(plist, Int32(rank), &chunk) == rank, chunk == ([1] + spec.rowShape).map({ hsize_t($0) }) else { return nil }
            let type = try check(H5Dget_type(dataset.id), call: "H5Dget_type(\(name))", file: path)
            defer { H5Tclose(type) }
            guard H5Tequal(type, ap_H5T_IEEE_F32LE()) > 0 else { return nil }
            let space = try check(H5Dget_space(dataset.id), call: "H5Dget_space(\(name))", file: path)
            defer { H5Sclose(space) }
            var count: hsize_t = 0
            _ = try check(H5Dget_num_chunks(dataset.id, space, &count), call: "H5Dget_num_chunks(\(name))", file: path)
            guard count == hsize_t(rowCount) else { return nil }
            var offsets = [UInt64](repeating: .max, count: rowCount)
            var coordinates = [hsize_t](repeating: 0, count: rank)
            for index in 0..<count {
                var mask: UInt32 = 0
                var address: haddr_t = 0
                var size: hsize_t = 0
                _ = try check(H5Dget_chunk_info(dataset.id, space, index, &coordinates, &mask, &address, &size),
                              call: "H5Dget_chunk_info(\(name), \(index))", file: path)
                let row = Int(coordinates[0])
                guard mask == 0, size == hsize_t(rowBytes), address != haddr_t.max, row < rowCount,
                      coordinates.dropFirst().allSatisfy({ $0 == 0 }) else { return nil }
                offsets[row] = UInt64(address)
            }
            guard !offsets.contains(.max) else { return nil }
            return RowChunks(offsets: offsets, rowBytes: rowBytes)
        }
    }
}
