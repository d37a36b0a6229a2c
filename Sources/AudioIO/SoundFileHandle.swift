import CSndFile
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open libsndfile handle over a file descriptor this handle owns; both close themselves.
///
/// The file is opened non-blocking and checked to be a regular file *before* libsndfile sees it:
/// opening a FIFO named `x.wav` for reading blocks until a writer appears (forever, in a batch
/// run), and a directory, a device or a socket is no audio file. Checking the descriptor that is
/// then read (`fstat`), not the path (`stat` then `open`), leaves no window for the file to change.
final class SoundFileHandle {
    let file: OpaquePointer
    let descriptor: Int32
    var info = SF_INFO()
    /// Bytes in the file when it was opened.
    let fileSize: Int

    init(readingFrom url: URL) throws {
        let path = url.path
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw AudioError.cannotOpen(path: path, reason: "no such file")
            case ELOOP: throw AudioError.notRegularFile(path: path, kind: "a symbolic link loop")
            default: throw AudioError.cannotOpen(path: path, reason: String(cString: strerror(code)))
            }
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw AudioError.cannotOpen(path: path, reason: String(cString: strerror(code)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw AudioError.notRegularFile(path: path, kind: Self.kind(of: status.st_mode))
        }
        // Back to blocking reads: libsndfile treats a short non-blocking read as the end of data.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var info = SF_INFO()
        guard let file = sf_open_fd(fd, Int32(SFM_READ), &info, Int32(SF_FALSE)) else {
            let reason = String(cString: sf_strerror(nil))
            close(fd)
            throw AudioError.cannotOpen(path: path, reason: reason)
        }
        self.file = file
        self.descriptor = fd
        self.info = info
        self.fileSize = Int(status.st_size)
    }

    deinit {
        sf_close(file)
        close(descriptor)
    }

    /// `count` bytes at `offset` of the file, without moving libsndfile's read position (fewer at its end).
    func bytes(at offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, count > 0, offset < fileSize else { return [] }
        var buffer = [UInt8](repeating: 0, count: min(count, fileSize - offset))
        let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        return got > 0 ? Array(buffer.prefix(got)) : []
    }

    /// What a non-regular file is, in words for a rejection.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }
}
