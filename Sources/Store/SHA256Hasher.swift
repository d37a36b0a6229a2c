import CNettle
import Foundation

/// Incremental SHA-256 over Nettle (Debian's `nettle-dev`), the one hash every checksum of a store uses.
///
/// Nettle was chosen over swift-crypto, whose BoringSSL made up 366 of the 390 files a fresh release
/// build compiled, and over OpenSSL's libcrypto, which hashes at the same speed on this machine kind
/// (both use the SHA extensions) behind a larger API.
///
/// ```swift
/// var hasher = SHA256Hasher()
/// hasher.update(Data("abc".utf8))
/// hasher.hexDigest()   // "ba7816bf…"
/// ```
public struct SHA256Hasher {
    private var context = sha256_ctx()

    public init() { nettle_sha256_init(&context) }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            nettle_sha256_update(&context, buffer.count, base.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The lower-case hex digest. The hasher is reset afterwards, as Nettle does.
    public mutating func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_SIZE))
        nettle_sha256_digest(&context, digest.count, &digest)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lower-case hex SHA-256 of `data`.
    public static func hex(of data: Data) -> String {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.hexDigest()
    }

    /// The linked Nettle's version, for the manifest's provenance.
    public static var libraryVersion: String { "\(nettle_version_major()).\(nettle_version_minor())" }
}
