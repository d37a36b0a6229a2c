/// The number of frames a WAV or AIFF header claims, read from the header's own chunks.
///
/// libsndfile trims a WAV's or AIFF's length to what the file holds, so a file cut at 50 % opens as
/// a valid shorter file and its `frames` cannot reveal the cut. The claim is therefore read here:
/// WAV's `data` chunk size over the `fmt ` block alignment, AIFF's `COMM` frame count. A claim of
/// 0 or 0xFFFFFFFF bytes is the "length unknown" mark streaming writers leave, and is no claim.
enum HeaderClaim {
    /// Chunks walked before giving up; real files have a handful.
    static let maxChunks = 1_000

    /// The frames claimed by the header of a WAV (RIFF/RIFX) or AIFF/AIFC file, or nil when the
    /// header makes no claim that can be checked (streamed length, RF64, no such chunk).
    static func frames(in handle: SoundFileHandle) -> Int? {
        let head = handle.bytes(at: 0, count: 12)
        guard head.count == 12 else { return nil }
        let magic = String(decoding: head[0..<4], as: UTF8.self), form = String(decoding: head[8..<12], as: UTF8.self)
        switch (magic, form) {
        case ("RIFF", "WAVE"): return wave(handle, bigEndian: false)
        case ("RIFX", "WAVE"): return wave(handle, bigEndian: true)
        case ("FORM", "AIFF"), ("FORM", "AIFC"): return aiff(handle)
        default: return nil
        }
    }

    /// Each chunk's id, payload offset and size, in file order.
    private static func chunks(_ handle: SoundFileHandle, bigEndian: Bool) -> [(id: String, offset: Int, size: Int)] {
        var found: [(String, Int, Int)] = []
        var offset = 12
        while found.count < maxChunks, offset + 8 <= handle.fileSize {
            let header = handle.bytes(at: offset, count: 8)
            guard header.count == 8 else { break }
            let id = String(decoding: header[0..<4], as: UTF8.self)
            let size = Int(uint32(header, at: 4, bigEndian: bigEndian))
            found.append((id, offset + 8, size))
            offset += 8 + size + (size & 1)
        }
        return found
    }

    private static func wave(_ handle: SoundFileHandle, bigEndian: Bool) -> Int? {
        let list = chunks(handle, bigEndian: bigEndian)
        guard let data = list.first(where: { $0.id == "data" }), data.size != 0, data.size != 0xFFFF_FFFF,
              let fmt = list.first(where: { $0.id == "fmt " }) else { return nil }
        let format = handle.bytes(at: fmt.offset, count: 16)
        guard format.count == 16 else { return nil }
        let tag = uint16(format, at: 0, bigEndian: bigEndian)
        let blockAlign = Int(uint16(format, at: 12, bigEndian: bigEndian))
        // PCM, IEEE float, A-law, µ-law and WAVE_FORMAT_EXTENSIBLE: one block is one frame.
        guard [1, 3, 6, 7, 0xFFFE].contains(tag), blockAlign > 0 else { return nil }
        return data.size / blockAlign
    }

    private static func aiff(_ handle: SoundFileHandle) -> Int? {
        guard let comm = chunks(handle, bigEndian: true).first(where: { $0.id == "COMM" }) else { return nil }
        let fields = handle.bytes(at: comm.offset, count: 6)
        guard fields.count == 6 else { return nil }
        let frames = Int(uint32(fields, at: 2, bigEndian: true))
        return frames == 0 || frames == 0xFFFF_FFFF ? nil : frames
    }

    private static func uint32(_ b: [UInt8], at i: Int, bigEndian: Bool) -> UInt32 {
        let v = [UInt32(b[i]), UInt32(b[i + 1]), UInt32(b[i + 2]), UInt32(b[i + 3])]
        return bigEndian ? v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3] : v[3] << 24 | v[2] << 16 | v[1] << 8 | v[0]
    }

    private static func uint16(_ b: [UInt8], at i: Int, bigEndian: Bool) -> UInt16 {
        bigEndian ? UInt16(b[i]) << 8 | UInt16(b[i + 1]) : UInt16(b[i + 1]) << 8 | UInt16(b[i])
    }
}
