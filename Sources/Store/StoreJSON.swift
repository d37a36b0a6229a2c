import Foundation

/// The one JSON encoding used for manifests and sidecars: pretty, sorted keys, unescaped slashes.
///
/// Sorted keys make the files deterministic (the same store gives the same bytes) and diffable.
enum StoreJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decoder() -> JSONDecoder { JSONDecoder() }

    static func encode<T: Encodable>(_ value: T, path: String) throws -> Data {
        do {
            var data = try encoder().encode(value)
            data.append(0x0A)
            return data
        } catch {
            throw StoreError.io(operation: "encode JSON", path: path, reason: "\(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        guard FileManager.default.fileExists(atPath: url.path) else { throw StoreError.missingFile(path: url.path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StoreError.io(operation: "read", path: url.path, reason: error.localizedDescription)
        }
        do { return try decoder().decode(type, from: data) } catch {
            throw StoreError.invalidManifest(path: url.path, reason: "\(error)")
        }
    }
}
