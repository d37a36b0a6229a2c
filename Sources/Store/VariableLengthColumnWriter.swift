import CHDF5
import Foundation

/// Writes one variable-length column of a shard (`ColumnSpec+VariableLength.swift`): rows appended
/// in order to a growing `[ΣT] + rowShape` dataset, then `<name>_offsets` [N + 1] when the shard is
/// finished.
///
/// Memory is bounded by bytes, not rows: frames wait here only until a whole chunk
/// (`ColumnSpec.variableChunkBytes`) is known, so at most one chunk is held whatever the
/// recordings' lengths; each chunk is written as it fills, the last partial one at `finish`.
/// The dataset's chunk cache is off and every write is of whole chunks (but the last), so chunks are
/// allocated in the order written and the file's bytes depend on the rows alone.
final class VariableLengthColumnWriter {
    let spec: ColumnSpec
    private let file: HDF5File
    private let dataset: HDF5Dataset
    private let path: String
    private let chunkFrames: Int
    private let frameElements: Int
    /// Where each appended row starts, in frames; the last entry is the frames appended so far.
    private(set) var offsets: [Int64] = [0]
    /// Time-major frames not yet written: fewer than one chunk's.
    private var pending: [Float] = []
    /// Frames already in the file (whole chunks).
    private var writtenFrames = 0

    init(spec: ColumnSpec, in file: HDF5File, path: String) throws {
        guard let axis = spec.timeAxis else {
            throw StoreError.schema(path: path, reason: "column '\(spec.name)' is not variable-length")
        }
        self.spec = spec
        self.file = file
        self.path = path
        chunkFrames = spec.framesPerChunk
        frameElements = spec.elementsPerFrame
        let space = try HDF5Dataspace.simple([0] + spec.rowShape, unlimitedFirst: true, path: path)
        let creation = try HDF5PropertyList(class: ap_H5P_DATASET_CREATE(), path: path)
        try creation.setChunk(spec.chunkShape(rowCount: 0))
        try creation.disableTimeTracking()
        let access = try HDF5PropertyList(class: ap_H5P_DATASET_ACCESS(), path: path)
        try access.disableChunkCache()
        dataset = try HDF5Dataset.create(in: file.id, name: spec.name, type: ap_H5T_IEEE_F32LE(), space: space,
                                         creation: creation, access: access, path: path)
        // Says, for readers without the manifest, which axis of a row the time axis is.
        try HDF5Attribute.writeString(String(axis), named: Self.timeAxisAttribute, on: dataset.id, path: path)
    }

    /// The dataset attribute holding `timeAxis`.
    static let timeAxisAttribute = "time_axis"

    /// The frames a row of `count` elements holds, or why it cannot be stored.
    func frames(ofElements count: Int) -> Result<Int, StoreError> {
        guard count > 0, count % frameElements == 0 else {
            return .failure(StoreError.schema(path: path, reason:
                "column '\(spec.name)': \(count) values are not a positive number of frames of \(spec.rowShape)"))
        }
        return .success(count / frameElements)
    }

    /// Appends one row, given in its own order (time axis at `spec.timeAxis`): moved to time-major
    /// a chunk at a time straight from `values`, so no copy of the row is ever made (a 5-min FOA
    /// row is 86 MB).
    func append(_ values: [Float]) throws {
        let frames = try frames(ofElements: values.count).get()
        let (outer, inner) = VariableLengthLayout.split(spec)
        if pending.capacity < chunkFrames * frameElements { pending.reserveCapacity(chunkFrames * frameElements) }
        var frame = 0
        while frame < frames {
            let count = min(chunkFrames - pending.count / frameElements, frames - frame)
            values.withUnsafeBufferPointer { source in
                for t in frame..<(frame + count) {
                    for o in 0..<outer {
                        let start = (o * frames + t) * inner
                        pending.append(contentsOf: source[start..<(start + inner)])
                    }
                }
            }
            frame += count
            if pending.count == chunkFrames * frameElements { try writePending(frames: chunkFrames) }
        }
        offsets.append((offsets.last ?? 0) + Int64(frames))
    }

    /// Writes what is still pending and the offsets; the column then holds `offsets.count - 1` rows.
    func finish() throws {
        let frames = pending.count / frameElements
        if frames > 0 { try writePending(frames: frames) }
        let rows = offsets.count
        let space = try HDF5Dataspace.simple([rows], path: path)
        let creation = try HDF5PropertyList(class: ap_H5P_DATASET_CREATE(), path: path)
        try creation.setChunk(ColumnSpec.offsetsChunkShape(rowCount: rows - 1))
        try creation.disableTimeTracking()
        try creation.allocateChunksEarly(skipFill: true)
        let offsetsSet = try HDF5Dataset.create(in: file.id, name: spec.offsetsName, type: ap_H5T_STD_I64LE(), space: space,
                                                creation: creation, path: path)
        try offsets.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try offsetsSet.write(memoryType: ap_H5T_NATIVE_INT64(), memory: space, file: try offsetsSet.space(), buffer: base)
        }
    }

    /// Writes the `frames` pending frames at the end of the dataset, growing it.
    private func writePending(frames: Int) throws {
        try dataset.setExtent([writtenFrames + frames] + spec.rowShape)
        let fileSpace = try dataset.space()
        try fileSpace.selectHyperslab(start: [writtenFrames] + spec.rowShape.map { _ in 0 }, count: [frames] + spec.rowShape)
        let memory = try HDF5Dataspace.simple([frames] + spec.rowShape, path: path)
        try pending.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            try dataset.write(memoryType: ap_H5T_NATIVE_FLOAT(), memory: memory, file: fileSpace, buffer: base)
        }
        pending.removeAll(keepingCapacity: true)
        writtenFrames += frames
    }
}
