/// Variable-length columns: whole recordings kept at their own number of frames.
///
/// Layout (README, "The store"; architecture.md): the column's dataset is the time-major
/// concatenation of every row's frames, `[ΣT] + rowShape` (a feature `[ΣT, C, F]`, a target
/// `[ΣT_label, K]`), and `<name>_offsets` (int64, `[N + 1]`, `offsets[0] = 0`) says where each row
/// starts: row `i` is `data[offsets[i] ..< offsets[i + 1]]`, two slices in h5py. Time-major because
/// a crop of frames `t0 ..< t1` of one row is then one contiguous block of the file, and a row can
/// be appended without knowing the next one's length.
///
/// A row's value (`ColumnValue.float32`) is in the row's own C order, with the time axis where
/// `timeAxis` puts it ([C, T, F] for a feature, as fixed-shape rows are); the writer and reader
/// move the time axis to the front and back (`VariableLengthLayout`).
extension ColumnSpec {
    /// A variable-length column whose rows have `frameShape` per frame, the time axis at `timeAxis`.
    public static func variableLength(name: String, frameShape: [Int], timeAxis: Int) -> ColumnSpec {
        ColumnSpec(name: name, dtype: .float32, rowShape: frameShape, timeAxis: timeAxis)
    }

    public var isVariableLength: Bool { timeAxis != nil }

    /// The dataset holding a variable-length column's row offsets.
    public var offsetsName: String { name + Self.offsetsSuffix }

    public static let offsetsSuffix = "_offsets"

    /// Elements of one frame of a variable-length column (1 for an empty frame shape).
    public var elementsPerFrame: Int { rowShape.reduce(1, *) }

    /// The shape of a row of `frames` frames: `rowShape` with the time axis inserted (fixed columns: `rowShape`).
    public func rowShape(frames: Int) -> [Int] {
        guard let timeAxis else { return rowShape }
        var shape = rowShape
        shape.insert(frames, at: timeAxis)
        return shape
    }

    /// The row shape as people read it: `[7, 501, 128]`, or `[7, T, 128]` for a variable-length column.
    public var shapeDescription: String {
        guard let timeAxis else { return "\(rowShape)" }
        var parts = rowShape.map(String.init)
        parts.insert("T", at: timeAxis)
        return "[" + parts.joined(separator: ", ") + "]"
    }

    /// Target bytes of one chunk of a variable-length column: the size of one fixed-shape feature
    /// row's chunk ([1, 501, 64] float32 is 125 KiB), well inside HDF5's 1 MiB chunk cache, and a
    /// crop of a few seconds touches a handful of chunks.
    public static let variableChunkBytes = 128 << 10

    /// Frames per chunk of a variable-length column (at least one).
    public var framesPerChunk: Int {
        max(1, Self.variableChunkBytes / max(1, elementsPerFrame * MemoryLayout<Float>.size))
    }

    /// The chunk shape of `<name>_offsets` in a file of `rowCount` rows (one int64 per row plus one).
    public static func offsetsChunkShape(rowCount: Int) -> [Int] {
        [max(1, min(rowCount + 1, scalarChunkRows))]
    }
}

/// Moves the time axis of a variable-length row from the front, where the store keeps it, to its
/// place in the row (`timeAxis`); the writer moves it the other way a chunk at a time
/// (`VariableLengthColumnWriter.append`).
public enum VariableLengthLayout {
    /// The row's elements before the time axis (`outer`) and after it (`inner`).
    static func split(_ spec: ColumnSpec) -> (outer: Int, inner: Int) {
        let axis = spec.timeAxis ?? 0
        return (spec.rowShape[..<axis].reduce(1, *), spec.rowShape[axis...].reduce(1, *))
    }

    /// Time-major frames ([T, outer, inner]) → the row's own order ([outer, T, inner]).
    public static func rowOrder(_ values: [Float], frames: Int, spec: ColumnSpec) -> [Float] {
        let (outer, inner) = split(spec)
        guard outer > 1 else { return values }
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for o in 0..<outer {
                    for t in 0..<frames {
                        let from = source.baseAddress! + (t * outer + o) * inner
                        (target.baseAddress! + (o * frames + t) * inner).update(from: from, count: inner)
                    }
                }
            }
        }
        return out
    }
}
